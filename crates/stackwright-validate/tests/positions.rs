//! Findings in template files name the line and column they are about, in JSON and in YAML,
//! as the CLI prints them (`file:line:column: error[rule] …`); keys written twice are findings.

use stackwright_validate::{validate_bytes, validate_yaml_bytes};

fn located(file: &str, report: &stackwright_validate::Report) -> String {
    report.findings.iter().map(|f| f.located(file) + "\n").collect()
}

const YAML: &str = "\
AWSTemplateFormatVersion: '2010-09-09'
Parameters:
  Stage: {Type: String}
Resources:
  Topic:
    Type: AWS::SNS::Topic
    Properties:
      KmsMasterKeyId: !Ref Kee
      TopicName: !Sub '${Stage}-${Nope}'
      DisplayName: !If
        - IsProd
        - prod
        - !GetAtt Key.Arnn
  Key:
    Type: AWS::KMS::Key
    Properties:
      PendingWindowInDays: 7
      PendingWindowInDays: 40
  Logs:
    Type: AWS::Logs::LogGroup
    DeletionPolicy: Retain
Outputs:
  Arn:
    Value: !Bogus Topic
";

const JSON: &str = r#"{
  "Resources": {
    "Topic": {
      "Type": "AWS::SNS::Topic",
      "Properties": {"KmsMasterKeyId": {"Ref": "Kee"}, "TopicNme": "t"}
    },
    "Topic": {
      "Type": "AWS::SNS::Topic",
      "Properties": {
        "KmsMasterKeyId": {"Ref": "Kee"},
        "Tags": [{"Key": "team", "Value": "web"}, {"Key": "team", "Value": 5, "Extra": 1}]
      }
    }
  }
}
"#;

#[test]
fn yaml_findings_name_their_line_and_column() {
    insta::assert_snapshot!("positions_yaml", located("app.yaml", &validate_yaml_bytes(YAML.as_bytes())));
}

#[test]
fn json_findings_name_their_line_and_column() {
    insta::assert_snapshot!("positions_json", located("app.json", &validate_bytes(JSON.as_bytes())));
}

#[test]
fn parse_errors_name_where_reading_stopped() {
    let cases: [(&str, &[u8], bool); 4] = [
        ("truncated.json", b"{\"Resources\": {\n  \"A\": [1,\n", false),
        ("tab.yaml", b"Resources:\n\tA: 1\n", true),
        ("type.json", b"{\"Resources\": {\"A\": {\"Type\": 3}}}", false),
        ("type.yaml", b"Resources:\n  A:\n    Type: [x]\n", true),
    ];
    let found: String = cases
        .iter()
        .map(|(file, bytes, yaml)| {
            let report = if *yaml { validate_yaml_bytes(bytes) } else { validate_bytes(bytes) };
            located(file, &report)
        })
        .collect();
    insta::assert_snapshot!("positions_parse_errors", found);
}

#[test]
fn the_json_form_of_a_finding_carries_its_line_and_column() {
    let report = validate_yaml_bytes(YAML.as_bytes());
    let finding = report.findings.iter().find(|f| f.rule == "ref/unknown-target").unwrap().to_json();
    assert_eq!((finding["line"].as_u64(), finding["column"].as_u64()), (Some(8), Some(7)));
    let whole = validate_bytes(b"{\"Resources\": {}}");
    assert_eq!(whole.findings[0].to_json()["column"], 2, "at /Resources: {:?}", whole.findings);
    // A finding about the whole file has no position: the file name says it all.
    let big = format!(
        "{{\"Metadata\": {{\"Pad\": \"{}\"}}, \"Resources\": {{\"T\": {{\"Type\": \"AWS::SNS::Topic\"}}}}}}",
        "x".repeat(52_000)
    );
    let report = validate_bytes(big.as_bytes());
    assert_eq!(report.findings[0].rule, "quota/template-size-s3");
    assert_eq!(report.findings[0].to_json()["line"], serde_json::Value::Null);
}
