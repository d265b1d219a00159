//! Bad manifests: each is refused with `file:line:column`, its key path and what was wrong —
//! never a panic.

// The texts are built for the tests, and each error is printed for `--nocapture` readers.
#![allow(clippy::print_stderr, clippy::format_collect, clippy::format_push_string)]

fn error_of(text: &str) -> String {
    let result = stackwright_manifest::parse(text, "stackwright.yaml")
        .and_then(|m| stackwright_manifest::synthesize(&m, text, "stackwright.yaml"));
    match result {
        Ok(_) => panic!("accepted:\n{text}"),
        Err(error) => {
            let text = error.to_string();
            eprintln!("{text}");
            text
        }
    }
}

const GOOD: &str = "\
name: shop
services:
  - name: web
    type: web
    pipeline:
      source:
        provider: github
        repository: example-org/shop-web
";

fn with(extra_service_lines: &str) -> String {
    let mut text = GOOD.to_owned();
    text.push_str(extra_service_lines);
    text
}

#[test]
fn the_good_manifest_synthesizes() {
    let manifest = stackwright_manifest::parse(GOOD, "stackwright.yaml").unwrap();
    let app = stackwright_manifest::synthesize(&manifest, GOOD, "stackwright.yaml").unwrap();
    assert!(app.finished_stack("shop-web").is_some());
}

#[test]
fn an_unknown_key_names_the_key_and_suggests_the_nearest() {
    let error = error_of(&with("    desired_cont: 3\n"));
    assert!(error.starts_with("stackwright.yaml:9:5: services[0]"), "{error}");
    assert!(error.contains("unknown key `desired_cont`: did you mean `desired_count`?"), "{error}");
}

#[test]
fn a_wrong_type_says_what_was_expected() {
    let error = error_of(&with("    desired_count: three\n"));
    assert!(error.starts_with("stackwright.yaml:9:20: services[0].desired_count: "), "{error}");
}

#[test]
fn a_bad_enum_value_lists_the_values() {
    let error = error_of(&GOOD.replace("type: web", "type: wbe"));
    assert!(error.starts_with("stackwright.yaml:4:11: services[0].type: "), "{error}");
    assert!(error.contains("did you mean `web`?"), "{error}");
}

#[test]
fn a_missing_key_is_named() {
    let error = error_of(&GOOD.replace("    type: web\n", ""));
    assert!(error.contains("missing required key `type`"), "{error}");
    assert!(error.starts_with("stackwright.yaml:3:5: services[0]: "), "{error}");
}

#[test]
fn an_invalid_fargate_size_is_the_constructs_error_at_the_cpu_line() {
    let error = error_of(&with("    cpu: 256\n    memory: 4096\n"));
    assert!(error.starts_with("stackwright.yaml:9:5: services[0].cpu: Fargate has no task size"), "{error}");
    assert!(error.ends_with("[ecs-task/fargate-size]"), "{error}");
}

#[test]
fn min_above_max_percent_is_the_constructs_error_at_the_rollout() {
    let error = error_of(&with("    rollout:\n      min_healthy_percent: 100\n      max_percent: 90\n"));
    assert!(error.contains("[ecs-service/max-below-100]"), "{error}");
    assert!(error.contains("stackwright.yaml:11:7: services[0].rollout.max_percent"), "{error}");
}

#[test]
fn duplicate_service_names_point_at_the_second() {
    let service = GOOD.split_once("services:\n").unwrap().1;
    let error = error_of(&format!("{GOOD}{service}"));
    assert!(error.contains("stackwright.yaml:9:5: services[1].name: duplicate service name `web`"), "{error}");
}

#[test]
fn an_empty_file_is_refused_at_its_start() {
    for text in ["", "\n\n", "# only a comment\n"] {
        assert!(error_of(text).starts_with("stackwright.yaml:1:1: the manifest is empty"), "{text:?}");
    }
}

#[test]
fn text_that_is_not_yaml_is_refused_with_its_position() {
    let error = error_of("name: shop\nservices: [\n  {name: x\n");
    assert!(error.starts_with("stackwright.yaml:"), "{error}");
    let error = error_of("just some words\n");
    assert!(error.starts_with("stackwright.yaml:1:1: "), "{error}");
}

#[test]
fn a_ten_megabyte_file_is_refused_before_it_is_parsed() {
    let text = format!("name: shop\n# {}\n", "x".repeat(10 * 1024 * 1024));
    assert!(error_of(&text).starts_with("stackwright.yaml:1:1: the manifest is "), "too big");
}

#[test]
fn deep_nesting_is_refused_with_its_position() {
    for text in [
        format!("name: {}{}\n", "[".repeat(10_000), "]".repeat(10_000)),
        format!(
            "name: shop\nservices:\n{}",
            (0..200).map(|depth| format!("{}- \n", "  ".repeat(depth))).collect::<String>()
        ),
        format!("{}\n", "{a: ".repeat(5_000)),
    ] {
        let error = error_of(&text);
        assert!(error.starts_with("stackwright.yaml:"), "{error}");
    }
}

#[test]
fn an_alias_bomb_is_refused() {
    // Billion laughs, where the manifest takes a list of strings.
    let mut laughs = String::from(
        "name: shop\nservices:\n  - name: web\n    type: web\n    alarms:\n      notify: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n",
    );
    laughs.push_str("    variables:\n");
    for level in 1..10 {
        let refs = vec![format!("*a{}", level - 1); 10].join(", ");
        laughs.push_str(&format!("      L{level}: &a{level} [{refs}]\n"));
    }
    assert!(error_of(&laughs).starts_with("stackwright.yaml:"), "laughs");
    // Many aliases of a whole service: the alias budget stops it.
    let mut copies = String::from(
        "name: shop\nservices:\n  - &s {name: web, type: web, pipeline: {source: {provider: github, repository: o/r}}}\n",
    );
    copies.push_str(&"  - *s\n".repeat(1_000));
    let error = error_of(&copies);
    assert!(error.starts_with("stackwright.yaml:"), "{error}");
}

#[test]
fn a_key_for_the_other_type_of_service_is_refused() {
    let error =
        error_of(&GOOD.replace("type: web", "type: worker").replace("    pipeline:", "    port: 80\n    pipeline:"));
    assert!(error.contains("stackwright.yaml:5:5: services[0].port: `port` applies to web services"), "{error}");
}

#[test]
fn json_is_read_too() {
    let text = r#"{"name": "shop", "services": [{"name": "web", "type": "web",
  "pipeline": {"source": {"provider": "github", "repository": "example-org/shop-web"}}, "cpu": 3}]}"#;
    let error = error_of(text);
    assert!(error.starts_with("stackwright.yaml:2:"), "{error}");
    assert!(error.contains("[ecs-task/fargate-size]"), "{error}");
}

/// The files `cargo xtask test` shows check-jsonschema refuses are refused here too, each
/// with a position.
#[test]
fn what_the_schema_rejects_stackwright_rejects() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/schema-rejects");
    let mut count = 0;
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let text = std::fs::read_to_string(&path).unwrap();
        let error = error_of(&text);
        assert!(error.starts_with("stackwright.yaml:"), "{}: {error}", path.display());
        count += 1;
    }
    assert!(count >= 10);
}

#[test]
fn port_and_health_check_rules_are_the_constructs_at_their_lines() {
    let error = error_of(&with("    port: 0\n"));
    assert!(error.starts_with("stackwright.yaml:9:5: services[0].port: "), "{error}");
    let error = error_of(&with("    health_check_path: healthz\n"));
    assert!(error.contains("stackwright.yaml:9:5: services[0].health_check_path: "), "{error}");
    assert!(error.contains("[pattern/health-check-path]"), "{error}");
}

#[test]
fn the_same_rule_gives_the_same_message_as_the_rust_api() {
    use stackwright_constructs::patterns::{SeedPipeline, SeedPipelineProps, Source};
    let mut stack = stackwright_constructs::Stack::new("shop-web").unwrap();
    let props = SeedPipelineProps::new("shop-web", Source::github("shop-web-github", "example-org/shop-web", "main"))
        .desired_count(2)
        .autoscaling(stackwright_constructs::ecs::Autoscaling::new(1, 3).cpu_target_percent(60));
    SeedPipeline::new(&mut stack, "Web", props).unwrap();
    let rust = stack.finish().unwrap_err().to_string();
    let manifest = error_of(&with("    desired_count: 2\n    autoscaling: {min: 1, max: 3, cpu_target_percent: 60}\n"));
    // `Web/Web/Service: <message> [rule]` in Rust; `…: <message> (Web/Web/Service) [rule]` here.
    let (construct_path, after) = rust.split_once(": ").unwrap();
    let (message, rule) = after.rsplit_once(" [").unwrap();
    assert!(
        manifest.contains(&format!("services[0].desired_count: {message} ({construct_path}) [{rule}")),
        "{manifest}\n{rust}"
    );
}
