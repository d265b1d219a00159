//! Names that break naive quoting — quotes, backslashes, Graphviz escapes, Mermaid keywords,
//! entity codes, HTML, newlines — in types, construct paths and export names. The snapshots
//! are also fed to Graphviz and to Mermaid's own parser by `cargo xtask test`.

use stackwright_graph::{Options, app_graph, dot, mermaid, template_graph};
use stackwright_template::Template;

const HOSTILE: &str = r#"{"Resources": {
    "end": {"Type": "Custom::Quote\"Back\\slash\\N\\l",
            "Metadata": {"aws:cdk:path": "Stack/sub\"graph] end/<b>bold<\\b> #quot; & `tick` %%c\nline|p;s/Leaf"}},
    "o": {"Type": "AWS::S3::Bucket", "DependsOn": "end",
          "Metadata": {"aws:cdk:path": "Stack/sub\"graph] end/o"},
          "Properties": {"Tags": [{"Key": "k", "Value": {"Ref": "end"}}]}},
    "x": {"Type": "AWS::SNS::Topic", "Properties": {"DisplayName": {"Fn::ImportValue": "a\"b\\c{d}[e]|f;g#35;h %%c --> x"}}}}}"#;

fn hostile() -> Template {
    Template::from_json_str(HOSTILE).expect("the hostile template parses")
}

#[test]
fn hostile_names_mermaid() {
    let text = mermaid::render(&template_graph("t\"<x>", &hostile(), Options::default()));
    assert!(!text.contains("<b>"), "HTML in a name is not markup");
    insta::assert_snapshot!("hostile_names_mermaid", text);
}

#[test]
fn hostile_names_dot() {
    let text = dot::render(&template_graph("t\"\\G", &hostile(), Options::default()));
    insta::assert_snapshot!("hostile_names_dot", text);
}

#[test]
fn hostile_export_names_app_mermaid() {
    let stacks = vec![("a".to_owned(), hostile()), ("b".to_owned(), hostile())];
    insta::assert_snapshot!("hostile_export_names_app_mermaid", mermaid::render(&app_graph("app", &stacks)));
}

#[test]
fn hostile_export_names_app_dot() {
    let stacks = vec![("a".to_owned(), hostile()), ("b".to_owned(), hostile())];
    insta::assert_snapshot!("hostile_export_names_app_dot", dot::render(&app_graph("app", &stacks)));
}
