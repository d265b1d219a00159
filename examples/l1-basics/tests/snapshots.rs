//! The example's exact bytes, determinism, and parse-back.

use example_l1_basics::{STACK_NAME, app, template};
use stackwright_template::Template;

#[test]
fn templates_match_their_snapshots() {
    stackwright_testing::assert_app_snapshots!(
        app().unwrap(),
        dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../snapshots"),
        prefix = "l1-basics"
    );
    stackwright_testing::assert_example("l1-basics", app);
}

#[test]
fn synthesis_is_byte_for_byte_deterministic() {
    let first = template().unwrap().render();
    for _ in 0..5 {
        assert_eq!(template().unwrap().render(), first);
    }
    assert!(first.ends_with("}\n"));
    assert!(!first.contains('\t'));
}

#[test]
fn rendered_template_parses_back_and_re_renders_identically() {
    let rendered = template().unwrap().render();
    let parsed = Template::from_json_str(&rendered).unwrap();
    assert_eq!(parsed, template().unwrap());
    assert_eq!(parsed.render(), rendered);
}

#[test]
fn the_app_has_one_stack_with_every_resource() {
    let app = app().unwrap();
    let template = app.finished_stack(STACK_NAME).unwrap();
    let types: Vec<&str> = template.resources().values().map(|r| r.type_name.as_str()).collect();
    assert_eq!(
        types,
        ["AWS::Logs::LogGroup", "AWS::ECR::Repository", "AWS::ECS::Cluster", "AWS::KMS::Key", "AWS::IAM::Role"]
    );
}
