//! The picture of a diff of the seed architecture: its ECR repository renamed (create-only,
//! so replaced, and the replacement carried into what refers to it) and one IAM action added
//! to the build role (broadening). Snapshots of the Markdown section and of both formats.

use stackwright_diff::diff_stacks;
use stackwright_graph::{MAX_EDGES, diff_graph, diff_section, dot, mermaid};
use stackwright_template::{LogicalId, Template};

fn seed() -> Template {
    let app = example_seed_pipeline::app().expect("the seed builds");
    app.finished_stack(example_seed_pipeline::STACK_NAME).expect("the seed stack").clone()
}

/// The named templates of one side of a diff.
type Side = Vec<(String, Template)>;

/// The seed, and the seed with the repository renamed and the build role broadened.
fn sides() -> (Side, Side) {
    let old = seed();
    let mut new = old.clone();
    let repo = new.resource_mut(&LogicalId::new("ShopRepository").unwrap()).unwrap();
    repo.set_property("RepositoryName", "shop-storefront".into()).unwrap();
    let role = new.resource_mut(&LogicalId::new("ShopBuildRole").unwrap()).unwrap();
    let policies = role.properties.get_mut("Policies").unwrap();
    let actions = policies[0]["PolicyDocument"]["Statement"][0]["Action"].as_array_mut().unwrap();
    actions.push("logs:DeleteLogGroup".into());
    (vec![("seed-pipeline".to_owned(), old)], vec![("seed-pipeline".to_owned(), new)])
}

#[test]
fn replace_chain_markdown() {
    let (old, new) = sides();
    let stacks = diff_stacks(&old, &new);
    let section = diff_section(&stacks, &old, &new);
    assert!(section.contains("```mermaid\n"), "{section}");
    let options = |section| stackwright_diff::MarkdownOptions::default().section("Graph", section);
    let markdown = stackwright_diff::render_markdown_with(&stacks, &options(section));
    let again = stackwright_diff::render_markdown_with(&stacks, &options(diff_section(&stacks, &old, &new)));
    assert_eq!(markdown, again);
    insta::assert_snapshot!("replace_chain_markdown", markdown);
}

#[test]
fn replace_chain_mermaid() {
    let (old, new) = sides();
    let graph = diff_graph(&diff_stacks(&old, &new), &old, &new, true);
    let text = mermaid::render(&graph);
    assert!(text.contains("==>|\"Environment/EnvironmentVariables/0/Value\"|"), "{text}");
    insta::assert_snapshot!("replace_chain_mermaid", text);
}

#[test]
fn replace_chain_dot() {
    let (old, new) = sides();
    let graph = diff_graph(&diff_stacks(&old, &new), &old, &new, true);
    insta::assert_snapshot!("replace_chain_dot", dot::render(&graph));
}

/// A diff too large to draw within the comment's limits says so instead of drawing.
#[test]
fn a_huge_diff_falls_back_to_a_sentence() {
    let mut resources = serde_json::Map::new();
    // A fan of topics each referring to every bucket: far more links than MAX_EDGES.
    for i in 0..30 {
        resources.insert(format!("Bucket{i}"), serde_json::json!({"Type": "AWS::S3::Bucket"}));
    }
    for i in 0..30 {
        let refs: Vec<serde_json::Value> = (0..30).map(|b| serde_json::json!({"Ref": format!("Bucket{b}")})).collect();
        resources
            .insert(format!("Topic{i}"), serde_json::json!({"Type": "AWS::SNS::Topic", "Properties": {"Tags": refs}}));
    }
    let new = Template::from_json(&serde_json::json!({ "Resources": resources })).unwrap();
    let old = vec![("s".to_owned(), Template::default())];
    let new = vec![("s".to_owned(), new)];
    let stacks = diff_stacks(&old, &new);
    assert!(diff_graph(&stacks, &old, &new, false).edges.len() > MAX_EDGES);
    let section = diff_section(&stacks, &old, &new);
    assert!(!section.contains("```mermaid"), "{section}");
    insta::assert_snapshot!("huge_diff_markdown_section", section);
}

/// A change with too many unchanged neighbours to draw them all is drawn alone, and says so.
#[test]
fn too_many_neighbours_are_left_out_first() {
    let mut resources = serde_json::Map::new();
    // Updated in place (a tag), so what refers to it is unchanged.
    let bucket = |tag: &str| serde_json::json!({"Type": "AWS::S3::Bucket", "Properties": {"Tags": [{"Key": "k", "Value": tag}]}});
    resources.insert("Bucket".to_owned(), bucket("1"));
    for i in 0..(MAX_EDGES + 10) {
        resources.insert(
            format!("Topic{i}"),
            serde_json::json!({"Type": "AWS::SNS::Topic", "Properties": {"DisplayName": {"Ref": "Bucket"}}}),
        );
    }
    let old = Template::from_json(&serde_json::json!({ "Resources": resources })).unwrap();
    resources.insert("Bucket".to_owned(), bucket("2"));
    let new = Template::from_json(&serde_json::json!({ "Resources": resources })).unwrap();
    let (old, new) = (vec![("s".to_owned(), old)], vec![("s".to_owned(), new)]);
    let stacks = diff_stacks(&old, &new);
    let section = diff_section(&stacks, &old, &new);
    assert!(section.contains("```mermaid\n"), "{section}");
    assert!(section.contains("Unchanged neighbours are left out to keep the picture small."), "{section}");
}
