//! The `stackwright` binary end to end: what `cargo run -- …` does at the repository root.

use std::fs;
use std::path::Path;
use std::process::{Command, Output};

use sha2::{Digest, Sha256};

fn stackwright(args: &[&str], cwd: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_stackwright")).args(args).current_dir(cwd).output().unwrap()
}

/// The warning for a template of `size` bytes: pretty-printed, the seed template is past
/// CloudFormation's inline limit, and synth says so while writing it anyway.
fn size_warning(size: u64) -> String {
    format!(
        "the template body is {size} bytes, over the 51200 accepted inline: deploy it through an S3 upload (TemplateURL)"
    )
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8(bytes.to_vec()).unwrap()
}

#[test]
fn synth_writes_templates_and_a_manifest_with_their_hashes() {
    let dir = tempfile::tempdir().unwrap();
    let run = stackwright(&["synth"], dir.path());
    assert!(run.status.success(), "{}", text(&run.stderr));
    // The seed template is pretty-printed past CloudFormation's inline limit: synth says so
    // and writes it anyway (a warning, not an error).
    let size = fs::metadata(dir.path().join("out/seed-pipeline.template.json")).unwrap().len();
    assert_eq!(
        text(&run.stderr),
        format!(
            "seed-pipeline: warning[quota/template-size-s3]: {}\n\
             wrote out/seed-pipeline.template.json (39 resources)\n",
            size_warning(size)
        )
    );

    let template = fs::read(dir.path().join("out/seed-pipeline.template.json")).unwrap();
    let manifest: serde_json::Value =
        serde_json::from_slice(&fs::read(dir.path().join("out/manifest.json")).unwrap()).unwrap();
    let digest: String = Sha256::digest(&template).iter().fold(String::new(), |hex, b| hex + &format!("{b:02x}"));
    assert_eq!(
        manifest,
        serde_json::json!({"version": 1, "stacks": [{
            "name": "seed-pipeline", "file": "seed-pipeline.template.json", "resources": 39, "sha256": digest
        }]})
    );
}

#[test]
fn synth_is_deterministic_across_processes() {
    let dir = tempfile::tempdir().unwrap();
    assert!(stackwright(&["synth", "--out", "a"], dir.path()).status.success());
    assert!(stackwright(&["synth", "--out", "b"], dir.path()).status.success());
    for file in ["seed-pipeline.template.json", "manifest.json"] {
        assert_eq!(
            fs::read(dir.path().join("a").join(file)).unwrap(),
            fs::read(dir.path().join("b").join(file)).unwrap()
        );
    }
}

#[test]
fn stdout_prints_the_same_bytes_as_the_file() {
    let dir = tempfile::tempdir().unwrap();
    assert!(stackwright(&["synth"], dir.path()).status.success());
    let printed = stackwright(&["synth", "--stdout"], dir.path());
    assert!(printed.status.success());
    assert_eq!(printed.stdout, fs::read(dir.path().join("out/seed-pipeline.template.json")).unwrap());
    let named = stackwright(&["synth", "--stdout", "--stack", "seed-pipeline"], dir.path());
    assert_eq!(named.stdout, printed.stdout);
}

#[test]
fn list_names_each_stack_with_its_resource_count() {
    let dir = tempfile::tempdir().unwrap();
    let run = stackwright(&["list"], dir.path());
    assert!(run.status.success());
    assert_eq!(text(&run.stdout), "seed-pipeline\t39 resources\n");
}

#[test]
fn app_picks_a_built_in_example_with_several_stacks() {
    let dir = tempfile::tempdir().unwrap();
    let run = stackwright(&["list", "--app", "web-service"], dir.path());
    assert!(run.status.success(), "{}", text(&run.stderr));
    assert_eq!(
        text(&run.stdout),
        "web-service\t27 resources\nweb-service-efs\t33 resources\nweb-service-vpc\t50 resources\n"
    );
}

#[test]
fn help_shows_examples() {
    let dir = tempfile::tempdir().unwrap();
    let run = stackwright(&["--help"], dir.path());
    assert!(run.status.success());
    assert!(text(&run.stdout).contains("Examples:\n  cargo run -- synth "), "{}", text(&run.stdout));
    let run = stackwright(&["synth", "--help"], dir.path());
    assert!(text(&run.stdout).contains("a failed\nrun leaves the previous output untouched"), "{}", text(&run.stdout));
}

#[test]
fn errors_exit_1_with_a_message_and_write_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let run = stackwright(&["synth", "--app", "nope"], dir.path());
    assert_eq!(run.status.code(), Some(1));
    assert_eq!(
        text(&run.stderr),
        "error: unknown app \"nope\"; known apps: seed, seed-variants, web-service, l1-basics\n"
    );
    assert!(!dir.path().join("out").exists());

    let run = stackwright(&["synth", "--stdout", "--stack", "other"], dir.path());
    assert_eq!(run.status.code(), Some(1));
    assert_eq!(text(&run.stderr), "error: no stack named \"other\"; stacks: seed-pipeline\n");
}

#[test]
fn synth_refuses_to_replace_a_directory_it_did_not_write() {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir(dir.path().join("out")).unwrap();
    fs::write(dir.path().join("out/keep.txt"), "mine").unwrap();
    let run = stackwright(&["synth"], dir.path());
    assert_eq!(run.status.code(), Some(1));
    assert!(text(&run.stderr).contains("refusing to replace out: it holds files synth did not write (keep.txt)"));
    assert_eq!(fs::read_to_string(dir.path().join("out/keep.txt")).unwrap(), "mine");
}

/// The l1-basics example's template, and a copy whose repository name (create-only; a
/// parameter before) becomes a fixed name: CloudFormation may replace the repository and so
/// update what refers to it. Its UpdateReplacePolicy keeps the old repository, so no data is lost.
fn templates_before_and_after(dir: &Path) -> (String, String) {
    assert!(stackwright(&["synth", "--app", "l1-basics"], dir).status.success());
    let old = "out/l1-basics.template.json".to_owned();
    let mut template: serde_json::Value = serde_json::from_slice(&fs::read(dir.join(&old)).unwrap()).unwrap();
    template["Resources"]["AppRepository"]["Properties"]["RepositoryName"] = "renamed".into();
    fs::write(dir.join("new.json"), serde_json::to_string(&template).unwrap()).unwrap();
    (old, "new.json".to_owned())
}

#[test]
fn diff_reports_replacement_and_sets_exit_codes() {
    let dir = tempfile::tempdir().unwrap();
    let (old, new) = templates_before_and_after(dir.path());

    let run = stackwright(&["diff", &old, &new], dir.path());
    assert_eq!(run.status.code(), Some(0), "{}", text(&run.stderr));
    let report = text(&run.stdout);
    assert!(report.contains("[~] AppRepository (AWS::ECR::Repository): may replace"), "{report}");
    assert!(report.contains("[~] TaskRole (AWS::IAM::Role): update"), "{report}");
    assert!(!report.contains('\u{1b}'), "no color when stdout is not a terminal");

    assert_eq!(stackwright(&["diff", &old, &new, "--exit-code"], dir.path()).status.code(), Some(2));
    assert_eq!(stackwright(&["diff", &old, &new, "--fail-on", "replace"], dir.path()).status.code(), Some(3));
    assert_eq!(stackwright(&["diff", &old, &new, "--fail-on", "destroy,data-loss"], dir.path()).status.code(), Some(0));
    assert_eq!(stackwright(&["diff", &old, &new, "--fail-on", "export-removal"], dir.path()).status.code(), Some(0));
    assert_eq!(stackwright(&["diff", &old, &old, "--exit-code"], dir.path()).status.code(), Some(0));
}

#[test]
fn diff_of_unreadable_input_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("bad.json"), "{\"Resources\": 3}").unwrap();
    let run = stackwright(&["diff", "bad.json", "missing.json"], dir.path());
    assert_eq!(run.status.code(), Some(1));
    assert_eq!(
        text(&run.stderr),
        "error: bad.json is not a CloudFormation template: /Resources: expected an object, found a number\n"
    );
}

#[test]
fn usage_errors_exit_1_not_the_changed_status() {
    let dir = tempfile::tempdir().unwrap();
    let run = stackwright(&["diff", "a.json", "b.json", "--fail-on", "typo"], dir.path());
    assert_eq!(run.status.code(), Some(1), "a CI gate must not read a typo as 'templates differ'");
    assert!(text(&run.stderr).contains("invalid value 'typo' for '--fail-on"), "{}", text(&run.stderr));
    assert_eq!(stackwright(&["--version"], dir.path()).status.code(), Some(0));
}

/// A template with one error (an unknown `Ref`) and, in a second file, one warning only.
fn write_templates_to_validate(dir: &Path) {
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
        "t/broken.template.json: error[ref/unknown-target] Topic at /Resources/Topic/Properties/KmsMasterKeyId: \
         Ref \"Key\" names no resource, parameter or pseudo parameter\n\
         big.json: warning[quota/template-size-s3]: the template body is 52082 bytes, over the 51200 accepted \
         inline: deploy it through an S3 upload (TemplateURL)\n\
         2 file(s) checked: 1 error(s), 1 warning(s)\n"
    );
}

#[test]
fn validate_warnings_exit_0_unless_strict() {
    let dir = tempfile::tempdir().unwrap();
    write_templates_to_validate(dir.path());
    assert_eq!(stackwright(&["validate", "big.json"], dir.path()).status.code(), Some(0));
    assert_eq!(stackwright(&["validate", "big.json", "--strict"], dir.path()).status.code(), Some(1));
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
        serde_json::json!({"version": 1, "files": [{
            "path": "t/broken.template.json", "errors": 1, "warnings": 0, "acknowledged": [],
            "findings": [{
                "severity": "error", "rule": "ref/unknown-target", "logical_id": "Topic", "construct_path": null,
                "pointer": "/Resources/Topic/Properties/KmsMasterKeyId",
                "message": "Ref \"Key\" names no resource, parameter or pseudo parameter"
            }]
        }]})
    );
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
             1 file(s) checked: 0 error(s), 1 warning(s)\n",
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

/// The l1-basics template with one more IAM action on the task role's first inline statement.
fn template_with_broader_iam(dir: &Path) -> (String, String) {
    assert!(stackwright(&["synth", "--app", "l1-basics"], dir).status.success());
    let old = "out/l1-basics.template.json".to_owned();
    let mut template: serde_json::Value = serde_json::from_slice(&fs::read(dir.join(&old)).unwrap()).unwrap();
    let statement =
        &mut template["Resources"]["TaskRole"]["Properties"]["Policies"][0]["PolicyDocument"]["Statement"][0];
    let mut actions: Vec<serde_json::Value> = match statement["Action"].take() {
        serde_json::Value::Array(items) => items,
        one => vec![one],
    };
    actions.push("ecr:PutImage".into());
    statement["Action"] = actions.into();
    fs::write(dir.join("iam.json"), serde_json::to_string(&template).unwrap()).unwrap();
    (old, "iam.json".to_owned())
}

#[test]
fn diff_security_only_and_broadening_gates() {
    let dir = tempfile::tempdir().unwrap();
    let (old, new) = template_with_broader_iam(dir.path());
    let run = stackwright(&["diff", &old, &new, "--security-only"], dir.path());
    assert_eq!(run.status.code(), Some(0), "{}", text(&run.stderr));
    let report = text(&run.stdout);
    assert!(report.starts_with("Security\n  IAM\n[~] TaskRole (AWS::IAM::Role) inline policy"), "{report}");
    assert!(report.contains(": broadening\n"), "{report}");
    assert!(report.contains("! adds actions ecr:PutImage"), "{report}");
    assert!(!report.contains("Resources\n"), "{report}");
    let gate = |classes: &str| stackwright(&["diff", &old, &new, "--fail-on", classes], dir.path()).status.code();
    assert_eq!(gate("iam-broadening"), Some(3));
    assert_eq!(gate("sg-broadening"), Some(0));
    assert_eq!(gate("sg-broadening,iam-broadening"), Some(3));
}

#[test]
fn diff_formats_json_and_markdown() {
    let dir = tempfile::tempdir().unwrap();
    let (old, new) = template_with_broader_iam(dir.path());
    let run = stackwright(&["diff", &old, &new, "--format", "json"], dir.path());
    assert_eq!(run.status.code(), Some(0), "{}", text(&run.stderr));
    let json: serde_json::Value = serde_json::from_slice(&run.stdout).unwrap();
    assert_eq!(json["schema_version"], 1);
    assert_eq!(json["stacks"][0]["name"], "iam");
    assert_eq!(json["stacks"][0]["status"], "modified");
    assert_eq!(json["summary"]["security_broadening"], 1);
    assert_eq!(json["stacks"][0]["security"]["iam"][0]["direction"], "broadening");

    let run = stackwright(&["diff", &old, &new, "--format", "markdown"], dir.path());
    let markdown = text(&run.stdout);
    assert!(markdown.starts_with("## Stackwright diff\n\n| Change | Count |"), "{markdown}");
    assert!(markdown.contains("### ⚠ Risky changes"), "{markdown}");
    assert!(markdown.contains("<details><summary><code>[~]</code> <code>TaskRole</code>"), "{markdown}");
    assert!(markdown.contains("### Security"), "{markdown}");
}

#[test]
fn diff_of_directories_matches_stacks_by_name() {
    let dir = tempfile::tempdir().unwrap();
    assert!(stackwright(&["synth", "--app", "l1-basics", "--out", "base"], dir.path()).status.success());
    fs::create_dir(dir.path().join("head")).unwrap();
    let (old, new) = templates_before_and_after(dir.path());
    assert_eq!(old, "out/l1-basics.template.json");
    // No manifest on this side: stacks are the *.template.json files, named after them.
    fs::copy(dir.path().join(&new), dir.path().join("head/l1-basics.template.json")).unwrap();
    fs::write(dir.path().join("head/extra.template.json"), r#"{"Resources": {"T": {"Type": "AWS::SNS::Topic"}}}"#)
        .unwrap();
    let run = stackwright(&["diff", "base", "head", "--exit-code"], dir.path());
    assert_eq!(run.status.code(), Some(2), "{}", text(&run.stderr));
    let report = text(&run.stdout);
    assert!(report.starts_with("Stack extra (added)\nResources\n[+] T (AWS::SNS::Topic): create\n"), "{report}");
    assert!(report.contains("Stack l1-basics (modified)\nResources\n"), "{report}");
    assert!(report.ends_with("Stacks: 1 added, 0 removed, 1 modified, 0 unchanged\n"), "{report}");

    let run = stackwright(&["diff", "head", "base", "--format", "json"], dir.path());
    let json: serde_json::Value = serde_json::from_slice(&run.stdout).unwrap();
    assert_eq!(json["summary"]["stacks_removed"], 1);
    assert_eq!(json["stacks"][0]["status"], "removed");
    assert_eq!(json["stacks"][0]["resources"][0]["impact"], "destroy");

    // A template file against a directory holding one stack: those two are compared.
    let run = stackwright(&["diff", "new.json", "base"], dir.path());
    assert!(text(&run.stdout).starts_with("Stack l1-basics (modified)\n"), "{}", text(&run.stdout));
}

#[test]
fn diff_baseline_compares_a_fresh_synth() {
    let dir = tempfile::tempdir().unwrap();
    let (_, new) = templates_before_and_after(dir.path());
    let run = stackwright(&["--app", "l1-basics", "diff", "--baseline", "out", "--exit-code"], dir.path());
    assert_eq!(run.status.code(), Some(0), "{}{}", text(&run.stdout), text(&run.stderr));
    assert_eq!(text(&run.stdout), "Stack l1-basics: no changes\nStacks: 0 added, 0 removed, 0 modified, 1 unchanged\n");

    fs::copy(dir.path().join(new), dir.path().join("out/l1-basics.template.json")).unwrap();
    let run = stackwright(&["--app", "l1-basics", "diff", "--baseline", "out", "--fail-on", "replace"], dir.path());
    assert_eq!(run.status.code(), Some(3), "{}", text(&run.stderr));
    assert!(
        text(&run.stdout).contains("[~] AppRepository (AWS::ECR::Repository): may replace"),
        "{}",
        text(&run.stdout)
    );

    let run = stackwright(&["diff", "--baseline", "out", "a.json"], dir.path());
    assert_eq!(run.status.code(), Some(1));
    assert!(text(&run.stderr).contains("cannot be used with"), "{}", text(&run.stderr));
    let run = stackwright(&["diff", "--baseline", "missing"], dir.path());
    assert_eq!(text(&run.stderr), "error: --baseline missing: not a directory (pass a synth output directory)\n");
}

#[test]
fn diff_reads_yaml_with_short_form_tags_as_equal_to_json() {
    let dir = tempfile::tempdir().unwrap();
    let json = r#"{"Resources": {
        "Repo": {"Type": "AWS::ECR::Repository", "Properties": {"RepositoryName": "web"}},
        "Task": {"Type": "AWS::ECS::TaskDefinition", "Properties": {"Family": "web", "ContainerDefinitions": [
            {"Name": "web", "Image": {"Fn::Sub": "${Repo.RepositoryUri}:latest"}}]}},
        "Policy": {"Type": "AWS::IAM::Policy", "Properties": {"PolicyName": "p", "Roles": [{"Ref": "Role"}],
            "PolicyDocument": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "ecr:BatchGetImage",
                "Resource": {"Fn::GetAtt": ["Repo", "Arn"]}}]}}},
        "Role": {"Type": "AWS::IAM::Role", "Properties": {"AssumeRolePolicyDocument": {"Statement": []}}}}}"#;
    let yaml = "Resources:
  Repo:
    Type: AWS::ECR::Repository
    Properties:
      RepositoryName: web-app
  Task:
    Type: AWS::ECS::TaskDefinition
    Properties:
      Family: web
      ContainerDefinitions:
        - Name: web
          Image: !Sub '${Repo.RepositoryUri}:latest'
  Policy:
    Type: AWS::IAM::Policy
    Properties:
      PolicyName: p
      Roles: [!Ref Role]
      PolicyDocument:
        Version: 2012-10-17
        Statement:
          - Effect: Allow
            Action: ecr:BatchGetImage
            Resource: !GetAtt Repo.Arn
  Role:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument: {Statement: []}
";
    fs::write(dir.path().join("old.json"), json).unwrap();
    fs::write(dir.path().join("new.yaml"), yaml).unwrap();
    let run = stackwright(&["diff", "old.json", "new.yaml"], dir.path());
    assert_eq!(run.status.code(), Some(0), "{}", text(&run.stderr));
    assert_eq!(
        text(&run.stdout),
        "Resources
[~] Policy (AWS::IAM::Policy): update
    ! /Properties/PolicyDocument/Statement/0/Resource uses Repo.Arn, and Repo is replaced
[~] Repo (AWS::ECR::Repository): replace, DATA LOSS
    ! /Properties/RepositoryName is create-only: changing it forces replacement
    ~ /Properties/RepositoryName: \"web\" -> \"web-app\" (forces replacement)
[~] Task (AWS::ECS::TaskDefinition): replace
    ! /Properties/ContainerDefinitions/0/Image uses Repo.RepositoryUri, and Repo is replaced: create-only, forces replacement
Summary: 0 to create, 1 to update, 0 may be replaced, 2 to replace, 0 to orphan, 0 to destroy; 1 with data loss; 0 other changes
"
    );
    fs::write(dir.path().join("bad.yaml"), "Resources:\n  A: !Nope x\n").unwrap();
    let run = stackwright(&["diff", "bad.yaml", "new.yaml"], dir.path());
    assert_eq!(run.status.code(), Some(1));
    assert!(
        text(&run.stderr).starts_with(
            "error: bad.yaml is not a CloudFormation template: not valid YAML: line 2 column 6: unknown tag !Nope"
        ),
        "{}",
        text(&run.stderr)
    );
}
