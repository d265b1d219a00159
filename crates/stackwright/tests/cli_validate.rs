//! The `stackwright` binary end to end: `stackwright validate`.

mod common;

use std::fs;
use std::path::Path;

use common::{size_warning, stackwright, text};

/// A template with one error (an unknown `Ref`), in a second file one warning only, and in
/// a third one policy finding only.
fn write_templates_to_validate(dir: &Path) {
    fs::write(dir.join("logs.json"), r#"{"Resources": {"Logs": {"Type": "AWS::Logs::LogGroup"}}}"#).unwrap();
    fs::create_dir(dir.join("t")).unwrap();
    let broken =
        r#"{"Resources": {"Topic": {"Type": "AWS::SNS::Topic", "Properties": {"KmsMasterKeyId": {"Ref": "Key"}}}}}"#;
    fs::write(dir.join("t/broken.template.json"), broken).unwrap();
    let padding = "x".repeat(52_000);
    let big = format!(
        r#"{{"Metadata": {{"Padding": "{padding}"}}, "Resources": {{"Topic": {{"Type": "AWS::SNS::Topic"}}}}}}"#
    );
    fs::write(dir.join("big.json"), big).unwrap();
    fs::write(dir.join("t/ignored.json"), "not a template, and not named *.template.json").unwrap();
}

#[test]
fn validate_reports_every_finding_and_exits_1_on_errors() {
    let dir = tempfile::tempdir().unwrap();
    write_templates_to_validate(dir.path());
    let run = stackwright(&["validate", "t", "big.json"], dir.path());
    assert_eq!(run.status.code(), Some(1), "{}", text(&run.stderr));
    assert_eq!(
        text(&run.stdout),
        "t/broken.template.json:1:68: error[ref/unknown-target] Topic at /Resources/Topic/Properties/KmsMasterKeyId: \
         Ref \"Key\" names no resource, parameter or pseudo parameter\n\
         big.json: warning[quota/template-size-s3]: the template body is 52082 bytes, over the 51200 accepted \
         inline: deploy it through an S3 upload (TemplateURL)\n\
         2 file(s) checked: 1 error(s), 1 warning(s), 0 policy finding(s), 0 resource(s) not schema-checked\n"
    );
}

#[test]
fn validate_warnings_and_policy_exit_0_unless_denied() {
    let dir = tempfile::tempdir().unwrap();
    write_templates_to_validate(dir.path());
    let code = |args: &[&str]| stackwright(&[&["validate"], args].concat(), dir.path()).status.code();
    assert_eq!(code(&["big.json"]), Some(0));
    assert_eq!(code(&["big.json", "--strict"]), Some(1));
    assert_eq!(code(&["big.json", "--deny", "warning"]), Some(1));
    assert_eq!(code(&["big.json", "--deny", "policy"]), Some(0));
    let run = stackwright(&["validate", "logs.json"], dir.path());
    assert_eq!(run.status.code(), Some(0));
    assert_eq!(
        text(&run.stdout),
        "logs.json:1:16: policy[logs/retention] Logs at /Resources/Logs/Properties: RetentionInDays is unset, so \
         CloudWatch keeps the events forever; expected a retention in days (e.g. 365)\n\
         1 file(s) checked: 0 error(s), 0 warning(s), 1 policy finding(s), 0 resource(s) not schema-checked\n"
    );
    assert_eq!(code(&["logs.json", "--deny", "policy"]), Some(1));
    assert_eq!(code(&["logs.json", "--deny", "warning"]), Some(0));
    assert_eq!(code(&["logs.json", "--strict"]), Some(1));
    assert_eq!(code(&["logs.json", "big.json", "--deny", "warning,policy"]), Some(1));
    let bad = stackwright(&["validate", "logs.json", "--deny", "error"], dir.path());
    // Errors always fail: `error` is not a level to deny (a usage error, status 1).
    assert_eq!(bad.status.code(), Some(1));
    assert!(text(&bad.stderr).contains("invalid value 'error' for '--deny"), "{}", text(&bad.stderr));
}

#[test]
fn validate_json_output_is_versioned() {
    let dir = tempfile::tempdir().unwrap();
    write_templates_to_validate(dir.path());
    let run = stackwright(&["validate", "--format", "json", "t"], dir.path());
    assert_eq!(run.status.code(), Some(1));
    let report: serde_json::Value = serde_json::from_slice(&run.stdout).unwrap();
    assert_eq!(
        report,
        serde_json::json!({"version": 2, "files": [{
            "path": "t/broken.template.json", "errors": 1, "warnings": 0, "policy": 0, "acknowledged": [], "unchecked": [],
            "findings": [{
                "severity": "error", "rule": "ref/unknown-target", "logical_id": "Topic", "construct_path": null,
                "pointer": "/Resources/Topic/Properties/KmsMasterKeyId", "line": 1, "column": 68,
                "message": "Ref \"Key\" names no resource, parameter or pseudo parameter"
            }]
        }]})
    );
}

/// Custom resources and modules cannot be checked against a public schema: said per file,
/// counted in the summary, listed in the JSON.
#[test]
fn validate_says_what_it_could_not_check() {
    let dir = tempfile::tempdir().unwrap();
    let template = r#"{"Resources": {
        "Seed": {"Type": "Custom::Seeder", "Properties": {"ServiceToken": "arn:aws:lambda:us-east-1:1:function:f"}},
        "Net": {"Type": "My::Net::Vpc::MODULE"},
        "Queue": {"Type": "AWS::SQS::Queue"}}}"#;
    fs::write(dir.path().join("app.template.json"), template).unwrap();
    let run = stackwright(&["validate", "app.template.json"], dir.path());
    assert_eq!(run.status.code(), Some(0), "{}", text(&run.stdout));
    assert_eq!(
        text(&run.stdout),
        "app.template.json: not schema-checked: Custom::Seeder (custom resource: its provider defines the \
         properties; only ServiceToken is checked): Seed\n\
         app.template.json: not schema-checked: My::Net::Vpc::MODULE (module: its schema is registered in the \
         deploying account): Net\n\
         1 file(s) checked: 0 error(s), 0 warning(s), 0 policy finding(s), 2 resource(s) not schema-checked\n"
    );
    let run = stackwright(&["validate", "--format", "json", "app.template.json"], dir.path());
    let report: serde_json::Value = serde_json::from_slice(&run.stdout).unwrap();
    assert_eq!(
        report["files"][0]["unchecked"],
        serde_json::json!([
            {"type": "Custom::Seeder", "reason": "custom", "logical_ids": ["Seed"],
             "detail": "custom resource: its provider defines the properties; only ServiceToken is checked"},
            {"type": "My::Net::Vpc::MODULE", "reason": "module", "logical_ids": ["Net"],
             "detail": "module: its schema is registered in the deploying account"}
        ])
    );
}

#[test]
fn validate_json_carries_the_policy_level() {
    let dir = tempfile::tempdir().unwrap();
    write_templates_to_validate(dir.path());
    let run = stackwright(&["validate", "--format", "json", "logs.json"], dir.path());
    assert_eq!(run.status.code(), Some(0));
    let report: serde_json::Value = serde_json::from_slice(&run.stdout).unwrap();
    assert_eq!((report["files"][0]["policy"].as_u64(), report["files"][0]["errors"].as_u64()), (Some(1), Some(0)));
    assert_eq!(report["files"][0]["findings"][0]["severity"], "policy");
}

#[test]
fn validate_accepts_what_synth_writes() {
    let dir = tempfile::tempdir().unwrap();
    assert!(stackwright(&["synth"], dir.path()).status.success());
    let run = stackwright(&["validate", "out"], dir.path());
    assert_eq!(run.status.code(), Some(0), "{}", text(&run.stdout));
    let size = fs::metadata(dir.path().join("out/seed-pipeline.template.json")).unwrap().len();
    assert_eq!(
        text(&run.stdout),
        format!(
            "out/seed-pipeline.template.json: warning[quota/template-size-s3]: {}\n\
             1 file(s) checked: 0 error(s), 1 warning(s), 0 policy finding(s), 0 resource(s) not schema-checked\n",
            size_warning(size)
        )
    );
}

#[test]
fn validate_turns_bad_input_into_errors_never_panics() {
    let dir = tempfile::tempdir().unwrap();
    let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    let deep_object = format!("{}1{}", "{\"a\":".repeat(50_000), "}".repeat(50_000));
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        ("garbage", vec![0x00, 0xff, 0x13, 0x37, b'{'], "error[template/unreadable]: not UTF-8 text: invalid byte at offset 1"),
        ("latin1", b"{\"Description\": \"caf\xe9\"}".to_vec(), "error[template/unreadable]: not UTF-8 text"),
        ("not-json", b"Resources: {}".to_vec(), "error[template/parse]: not valid JSON"),
        ("empty", Vec::new(), "error[template/parse]: not valid JSON: EOF"),
        ("deep-list", deep.into_bytes(), "error[template/parse]: not valid JSON: recursion limit exceeded"),
        ("deep-object", deep_object.into_bytes(), "error[template/parse]: not valid JSON: recursion limit exceeded"),
        ("list", b"[]".to_vec(), "error[template/parse]: expected an object, found a list"),
        ("string", b"\"Resources\"".to_vec(), "error[template/parse]: expected an object, found a string"),
        ("resources-number", b"{\"Resources\": 3}".to_vec(), "at /Resources: expected an object, found a number"),
        ("resource-list", b"{\"Resources\": {\"A\": []}}".to_vec(), "at /Resources/A: expected an object, found a list"),
        ("type-number", b"{\"Resources\": {\"A\": {\"Type\": 3}}}".to_vec(), "at /Resources/A/Type: expected a string"),
        (
            "properties-list",
            b"{\"Resources\": {\"A\": {\"Type\": \"AWS::SNS::Topic\", \"Properties\": []}}}".to_vec(),
            "at /Resources/A/Properties: expected an object, found a list",
        ),
        ("parameters-number", b"{\"Parameters\": 1, \"Resources\": {}}".to_vec(), "at /Parameters: expected an object"),
        ("output-number", b"{\"Outputs\": {\"O\": 1}, \"Resources\": {}}".to_vec(), "at /Outputs/O: expected an object"),
        ("mapping-string", b"{\"Mappings\": {\"M\": \"x\"}, \"Resources\": {}}".to_vec(), "at /Mappings/M: expected an object"),
        ("description-list", b"{\"Description\": [], \"Resources\": {}}".to_vec(), "at /Description: expected a string"),
        (
            "function-wrong-type",
            b"{\"Resources\": {\"A\": {\"Type\": \"AWS::SNS::Topic\", \"Properties\": {\"TopicName\": {\"Fn::Sub\": 3}}}}}".to_vec(),
            "error[intrinsic/malformed] A at /Resources/A/Properties/TopicName: malformed Fn::Sub",
        ),
    ];
    for (name, bytes, expected) in cases {
        let file = format!("{name}.json");
        fs::write(dir.path().join(&file), bytes).unwrap();
        let run = stackwright(&["validate", &file], dir.path());
        assert_eq!(run.status.code(), Some(1), "{name}: {}", text(&run.stderr));
        assert!(text(&run.stdout).contains(expected), "{name}: {}", text(&run.stdout));
        assert_eq!(text(&run.stderr), "", "{name}");
    }
}
