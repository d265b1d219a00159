use stackwright_diff::diff_stacks;
use stackwright_template::Template;

use super::*;

fn t(json: &str) -> Template {
    Template::from_json_str(json).unwrap()
}

#[test]
fn a_replacement_chain_is_highlighted_and_labelled() {
    let resources = |name: &str| {
        format!(
            r#"{{"Resources": {{
            "Repo": {{"Type": "AWS::ECR::Repository", "Properties": {{"RepositoryName": "{name}"}}}},
            "Task": {{"Type": "AWS::ECS::TaskDefinition", "Properties": {{"ContainerDefinitions": [{{"Name": "a", "Image": {{"Fn::GetAtt": ["Repo", "RepositoryUri"]}}}}]}}}},
            "Topic": {{"Type": "AWS::SNS::Topic", "Properties": {{"DisplayName": {{"Ref": "Task"}}}}}},
            "Far": {{"Type": "AWS::SNS::Topic"}}}}}}"#
        )
    };
    let old = vec![("s".to_owned(), t(&resources("a")))];
    let new = vec![("s".to_owned(), t(&resources("b")))];
    let stacks = diff_stacks(&old, &new);
    let graph = diff_graph(&stacks, &old, &new, true);
    let keys: Vec<&str> = graph.nodes.iter().map(|n| n.key.as_str()).collect();
    assert_eq!(keys, ["Repo", "Task", "Topic"], "a resource with no link to a change is left out");
    let repo = &graph.nodes[0];
    assert_eq!(repo.status, Some(stackwright_diff::Impact::Replace));
    assert_eq!(repo.lines[2], "replace: RepositoryName (data loss)");
    let highlighted: Vec<(usize, usize, Option<&str>)> =
        graph.edges.iter().filter(|e| e.highlight).map(|e| (e.from, e.to, e.label.as_deref())).collect();
    assert_eq!(highlighted[0], (0, 1, Some("ContainerDefinitions/0/Image")));
}
