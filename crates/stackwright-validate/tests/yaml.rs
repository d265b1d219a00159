//! YAML input: the same checks as JSON, short forms included, and no expansion bomb.

use std::fs;
use std::path::Path;

use stackwright_validate::{validate_source, validate_yaml_bytes, validate_yaml_source};

fn lines(report: &stackwright_validate::Report) -> Vec<String> {
    report.findings.iter().map(ToString::to_string).collect()
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
            assert!(lines(&yaml)[0].starts_with("error[template/parse]: not valid YAML: line "), "{name}");
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
            "error[ref/unknown-target] Key at /Outputs/Key/Value: Ref \"Kee\" names no resource, parameter or pseudo \
             parameter",
            "error[sub/unknown-variable] Alias at /Resources/Alias/Properties/AliasName: Fn::Sub placeholder ${Nope} \
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
            ["error[template/parse]: not valid YAML: line 6 column 45: the document expands to more than 1000000 \
              nodes (aliases included): refused as an alias bomb"],
            ["error[template/parse]: not valid YAML: line 13 column 21: nested deeper than 128 levels once aliases \
              are expanded"],
            ["error[template/parse]: not valid YAML: line 129 column 129: nested deeper than 128 levels"],
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
            ["error[template/unreadable]: not UTF-8 text: invalid byte at offset 0"],
            [
                "error[template/parse]: not valid YAML: line 2 column 1: while parsing a flow sequence, expected ',' or ']'"
            ],
            ["error[template/parse]: expected an object, found null"],
            ["error[template/parse]: not valid YAML: line 1 column 1: unknown tag !Bogus; known: !Ref, !Condition, \
                 !And, !Base64, !Cidr, !Equals, !FindInMap, !GetAZs, !GetAtt, !If, !ImportValue, !Join, !Length, !Not, \
                 !Or, !Select, !Split, !Sub, !ToJsonString, !Transform"],
            ["error[template/parse] at /Resources/A: a resource needs a Type"],
        ]
    );
}
