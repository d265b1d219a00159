//! YAML input: the same checks as JSON, short forms included, and no expansion bomb.

use std::fs;
use std::path::Path;

use stackwright_validate::{validate_source, validate_yaml_bytes, validate_yaml_source};

/// Each finding as the CLI prints it, after the file name `t.yaml`.
fn lines(report: &stackwright_validate::Report) -> Vec<String> {
    report.findings.iter().map(|f| f.located("t.yaml")).collect()
}

/// JSON is YAML (flow style): every corpus case read as YAML is flagged exactly as it is read
/// as JSON, except for the parse cases, which fail in the YAML reader's words.
#[test]
fn every_corpus_case_read_as_yaml_is_flagged_as_json() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests");
    let mut cases: Vec<_> = fs::read_dir(dir.join("corpus")).unwrap().map(|e| e.unwrap().path()).collect();
    cases.push(dir.join("good.json"));
    cases.sort();
    for path in cases {
        let text = fs::read_to_string(&path).unwrap();
        let (json, yaml) = (validate_source(&text), validate_yaml_source(&text));
        let name = path.file_name().unwrap().to_string_lossy();
        if name == "parse-truncated-json.json" {
            assert_eq!(lines(&yaml).len(), 1, "{name}");
            assert!(lines(&yaml)[0].starts_with("t.yaml:8:1: error[template/parse]: not valid YAML: "), "{name}");
            continue;
        }
        assert_eq!(lines(&yaml), lines(&json), "{name}");
    }
}

#[test]
fn short_forms_are_read_as_their_functions() {
    let yaml = "\
Resources:
  Key:
    Type: AWS::KMS::Key
    DeletionPolicy: Retain
    UpdateReplacePolicy: Retain
    Properties: {EnableKeyRotation: true}
  Alias:
    Type: AWS::KMS::Alias
    Properties:
      AliasName: !Sub alias/${AWS::StackName}-${Nope}
      TargetKeyId: !GetAtt Key.KeyId
Outputs:
  Key:
    Value: !Ref Kee
";
    assert_eq!(
        lines(&validate_yaml_source(yaml)),
        [
            "t.yaml:14:5: error[ref/unknown-target] Key at /Outputs/Key/Value: Ref \"Kee\" names no resource, \
             parameter or pseudo parameter",
            "t.yaml:10:7: error[sub/unknown-variable] Alias at /Resources/Alias/Properties/AliasName: Fn::Sub placeholder ${Nope} \
             names no variable, resource, parameter or pseudo parameter",
        ]
    );
}

/// Anchors and aliases are expanded by copying: a few hundred bytes could otherwise expand to
/// a billion values, or nest deeper than any stack.
#[test]
fn alias_expansion_is_bounded() {
    let bomb: String = std::iter::once("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n".to_owned())
        .chain((1..9).map(|i| format!("a{i}: &a{i} [{}]\n", vec![format!("*a{}", i - 1); 10].join(", "))))
        .collect();
    let deep: String = std::iter::once("a0: &a0 [[[[[[[[[[x]]]]]]]]]]\n".to_owned())
        .chain((1..20).map(|i| format!("a{i}: &a{i} [[[[[[[[[[*a{}]]]]]]]]]]\n", i - 1)))
        .collect();
    let block_deep: String = (0..200).map(|depth| " ".repeat(depth) + "k:\n").collect();
    let found: Vec<Vec<String>> =
        [bomb, deep, block_deep].iter().map(|text| lines(&validate_yaml_bytes(text.as_bytes()))).collect();
    assert_eq!(
        found,
        [
            ["t.yaml:6:45: error[template/parse]: not valid YAML: the document expands to more than 1000000 nodes \
              (aliases included): refused as an alias bomb"],
            ["t.yaml:13:21: error[template/parse]: not valid YAML: nested deeper than 128 levels once aliases are \
              expanded"],
            ["t.yaml:129:129: error[template/parse]: not valid YAML: nested deeper than 128 levels"],
        ]
    );
}

#[test]
fn bytes_that_are_not_a_yaml_template_are_findings() {
    let cases: [&[u8]; 5] = [b"\xff\xfe", b"Resources: [a, b\n", b"", b"!Bogus x\n", b"Resources:\n  A: !Ref\n"];
    let found: Vec<Vec<String>> = cases.iter().map(|bytes| lines(&validate_yaml_bytes(bytes))).collect();
    assert_eq!(
        found,
        [
            ["t.yaml: error[template/unreadable]: not UTF-8 text: invalid byte at offset 0"],
            ["t.yaml:2:1: error[template/parse]: not valid YAML: while parsing a flow sequence, expected ',' or ']'"],
            ["t.yaml: error[template/parse]: expected an object, found null"],
            // An unknown tag is a function (`{"Fn::Bogus": "x"}`), not a parse error: here the
            // document is that call, which has no Resources.
            ["t.yaml: error[template/parse]: a template needs a Resources section"],
            ["t.yaml:2:3: error[template/parse] at /Resources/A: a resource needs a Type"],
        ]
    );
}

/// The rule functions, `!GetStackOutput` and the non-specific tag read as CloudFormation reads
/// them, so a template using them is judged like its JSON twin: here it has nothing to report.
#[test]
fn every_short_form_cloudformation_reads_passes() {
    let yaml = "\
Parameters:
  Env: {Type: String}
  Subnets: {Type: 'List<AWS::EC2::Subnet::Id>'}
Rules:
  ProdOnly:
    RuleCondition: !Equals [!Ref Env, prod]
    Assertions:
      - Assert: !Contains [[prod, staging], !Ref Env]
      - Assert: !EachMemberEquals [!ValueOfAll ['AWS::EC2::Subnet::Id', VpcId], !ValueOf [Subnets, VpcId]]
      - Assert: !EachMemberIn [!RefAll 'AWS::EC2::Subnet::Id', !Ref Subnets]
Resources:
  Topic:
    Type: AWS::SNS::Topic
    Properties:
      DisplayName: !GetStackOutput {StackName: network, OutputName: VpcId, Region: eu-west-1}
      TopicName: ! 0123
";
    assert_eq!(lines(&validate_yaml_source(yaml)), Vec::<String>::new());
    let misspelt = yaml
        .replace("!GetStackOutput {StackName: network, OutputName: VpcId, Region: eu-west-1}", "!GetStackOutputs {}");
    assert_eq!(
        lines(&validate_yaml_source(&misspelt)),
        ["t.yaml:15:7: error[intrinsic/unknown-function] Topic at /Resources/Topic/Properties/DisplayName: \
          Fn::GetStackOutputs is not a CloudFormation function; expected one of Ref, Condition, Fn::And, Fn::Base64, \
          Fn::Cidr, Fn::Equals, Fn::FindInMap, Fn::GetAtt, Fn::GetAZs, Fn::GetStackOutput, Fn::If, Fn::ImportValue, \
          Fn::Join, Fn::Not, Fn::Or, Fn::Select, Fn::Split, Fn::Sub, Fn::Transform"]
    );
    let malformed = yaml.replace("OutputName: VpcId, ", "");
    assert_eq!(
        lines(&validate_yaml_source(&malformed)),
        ["t.yaml:15:7: error[intrinsic/malformed] Topic at /Resources/Topic/Properties/DisplayName: malformed \
          Fn::GetStackOutput: OutputName is required"]
    );
}

/// Keys written twice: CloudFormation keeps the last, so the first is lost without a word.
#[test]
fn keys_written_twice_are_warnings_in_yaml_as_in_json() {
    let yaml = "Resources:\n  T:\n    Type: AWS::SNS::Topic\n  T:\n    Type: AWS::SNS::Topic\n";
    let json = r#"{"Resources": {"T": {"Type": "AWS::SNS::Topic"}, "T": {"Type": "AWS::SNS::Topic"}}}"#;
    let message = "warning[template/duplicate-key] T at /Resources/T: \"T\" is written again in this object";
    let yaml_found = lines(&validate_yaml_source(yaml));
    assert_eq!(yaml_found.len(), 1);
    assert!(
        yaml_found[0].starts_with(&format!("t.yaml:4:3: {message} (before, at line 2, column 3)")),
        "{yaml_found:?}"
    );
    let json_found = lines(&validate_source(json));
    assert!(
        json_found[0].starts_with(&format!("t.yaml:1:50: {message} (before, at line 1, column 16)")),
        "{json_found:?}"
    );
    assert!(!validate_source(json).has_errors(), "CloudFormation accepts it");
    // Three times: each repetition names the one before it.
    let thrice =
        "Resources:\n  T: {Type: AWS::SNS::Topic}\n  T: {Type: AWS::SNS::Topic}\n  T: {Type: AWS::SNS::Topic}\n";
    let found: Vec<String> =
        lines(&validate_yaml_source(thrice)).iter().map(|l| l.split(';').next().unwrap().to_owned()).collect();
    assert_eq!(
        found,
        [
            format!("t.yaml:3:3: {message} (before, at line 2, column 3)"),
            format!("t.yaml:4:3: {message} (before, at line 3, column 3)"),
        ]
    );
}
