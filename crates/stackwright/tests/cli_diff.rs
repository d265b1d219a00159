//! The `stackwright` binary end to end: `stackwright diff`.

mod common;

use std::fs;
use std::path::Path;

use common::{stackwright, text};

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
        "error: bad.json:1:2: not a CloudFormation template: /Resources: expected an object, found a number\n"
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
    assert_eq!(json["schema_version"], 2);
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
    ! /Properties/PolicyDocument/Statement/0/Resource uses Repo.Arn, and Repo is replaced: an update to its new Arn
[~] Repo (AWS::ECR::Repository): replace, DATA LOSS
    ! /Properties/RepositoryName is create-only: changing it forces replacement
    ~ /Properties/RepositoryName: \"web\" -> \"web-app\" (forces replacement)
[~] Task (AWS::ECS::TaskDefinition): revision
    ! new task definition revision; the service rolls out
    ! /Properties/ContainerDefinitions/0/Image uses Repo.RepositoryUri, and Repo is replaced: create-only, new revision
Summary: 0 to create, 1 to update, 1 with a new revision, 0 may be replaced, 1 to replace, 0 to orphan, 0 to destroy; 1 with data loss; 0 other changes
"
    );
    fs::write(dir.path().join("bad.yaml"), "Resources:\n  A: [x\n").unwrap();
    let run = stackwright(&["diff", "bad.yaml", "new.yaml"], dir.path());
    assert_eq!(run.status.code(), Some(1));
    assert!(
        text(&run.stderr).starts_with(
            "error: bad.yaml:3:1: not a CloudFormation template: not valid YAML: while parsing a flow sequence"
        ),
        "{}",
        text(&run.stderr)
    );
    // An unknown tag is a function to CloudFormation's reader too; here the resource has no
    // Type, so it is left out of the diff, and said to be, in every format.
    fs::write(dir.path().join("bad.yaml"), "Resources:\n  A: !Nope x\n").unwrap();
    let run = stackwright(&["diff", "bad.yaml", "new.yaml"], dir.path());
    assert_eq!(run.status.code(), Some(0), "{}", text(&run.stderr));
    let report = text(&run.stdout);
    assert!(report.contains("[+] Repo (AWS::ECR::Repository): create"), "{report}");
    assert!(
        report.ends_with("[!] left out of the diff: bad.yaml:2:3: /Resources/A: a resource needs a Type\n"),
        "{report}"
    );
    let run = stackwright(&["diff", "bad.yaml", "new.yaml", "--format", "json"], dir.path());
    let json: serde_json::Value = serde_json::from_slice(&run.stdout).unwrap();
    assert_eq!(
        json["stacks"][0]["unread"],
        serde_json::json!([{"file": "bad.yaml", "line": 2, "column": 3, "pointer": "/Resources/A",
            "message": "a resource needs a Type"}])
    );
    let run = stackwright(&["diff", "bad.yaml", "new.yaml", "--format", "markdown"], dir.path());
    assert!(
        text(&run.stdout).contains(
            "### ⚠ Left out of the diff (breaks a template rule)\n\n- `bad.yaml:2:3: /Resources/A: a resource needs a Type`\n"
        ),
        "{}",
        text(&run.stdout)
    );
    let run = stackwright(&["diff", "bad.yaml", "new.yaml", "--format", "github"], dir.path());
    assert!(
        text(&run.stdout).starts_with(
            "::warning file=bad.yaml,line=2,col=3,title=Stackwright%3A left out of the diff::/Resources/A: a resource needs a Type\n"
        ),
        "{}",
        text(&run.stdout)
    );
    // A list as a resource's Metadata is not validated by CloudFormation: read as written.
    fs::write(dir.path().join("meta.yaml"), "Resources:\n  A: {Type: AWS::SNS::Topic, Metadata: [a]}\n").unwrap();
    fs::write(dir.path().join("meta2.yaml"), "Resources:\n  A: {Type: AWS::SNS::Topic, Metadata: [b]}\n").unwrap();
    let run = stackwright(&["diff", "meta.yaml", "meta2.yaml"], dir.path());
    let report = text(&run.stdout);
    assert!(report.contains("~ /Metadata/0: \"a\" -> \"b\""), "{report}");
    assert!(!report.contains("left out"), "{report}");
}

/// The built-in seed example's template, synthesized into `dir/out`, and a copy edited by
/// `edit`, written to `dir/NAME`.
fn seed_and_edited(dir: &Path, name: &str, edit: impl FnOnce(&mut serde_json::Value)) -> (String, String) {
    assert!(stackwright(&["synth"], dir).status.success());
    let old = "out/seed-pipeline.template.json".to_owned();
    let mut template: serde_json::Value = serde_json::from_slice(&fs::read(dir.join(&old)).unwrap()).unwrap();
    edit(&mut template);
    fs::write(dir.join(name), serde_json::to_string_pretty(&template).unwrap()).unwrap();
    (old, name.to_owned())
}

#[test]
fn a_task_definition_change_is_a_revision_that_passes_fail_on_replace() {
    let dir = tempfile::tempdir().unwrap();
    let (old, new) = seed_and_edited(dir.path(), "env.json", |t| {
        t["Resources"]["ShopWebTask"]["Properties"]["ContainerDefinitions"][0]["Environment"] =
            serde_json::json!([{"Name": "LOG_LEVEL", "Value": "debug"}]);
    });
    let run = stackwright(&["diff", &old, &new, "--fail-on", "replace"], dir.path());
    assert_eq!(run.status.code(), Some(0), "{}{}", text(&run.stdout), text(&run.stderr));
    let report = text(&run.stdout);
    assert!(report.contains("[~] ShopWebTask (AWS::ECS::TaskDefinition): revision\n"), "{report}");
    assert!(report.contains("[~] ShopWebService (AWS::ECS::Service): update\n"), "{report}");
    assert_eq!(stackwright(&["diff", &old, &new, "--fail-on", "revision"], dir.path()).status.code(), Some(3));
    let run = stackwright(&["diff", &old, &new, "--format", "json"], dir.path());
    let json: serde_json::Value = serde_json::from_slice(&run.stdout).unwrap();
    assert_eq!(
        (json["summary"]["revision"].as_u64(), json["summary"]["worst_impact"].as_str()),
        (Some(1), Some("revision"))
    );
}

#[test]
fn security_downgrades_gate_with_fail_on_security_downgrade() {
    let dir = tempfile::tempdir().unwrap();
    let (old, new) = seed_and_edited(dir.path(), "weaker.json", |t| {
        t["Resources"]["ShopWebTaskLogs"]["Properties"]["RetentionInDays"] = 30.into();
        t["Resources"]["ShopRepository"]["Properties"]["ImageScanningConfiguration"]["ScanOnPush"] = false.into();
    });
    let gate = |classes: &str| stackwright(&["diff", &old, &new, "--fail-on", classes], dir.path()).status.code();
    assert_eq!(gate("security-downgrade"), Some(3));
    assert_eq!(gate("replace,iam-broadening"), Some(0), "an update, not a replacement or a broadening");
    let run = stackwright(&["diff", &old, &new, "--security-only"], dir.path());
    let report = text(&run.stdout);
    assert!(report.starts_with("Security\n  Downgrades\n"), "{report}");
    assert!(
        report.contains("[!] ShopRepository (AWS::ECR::Repository) scanning: scan on push turned off\n"),
        "{report}"
    );
    assert!(report.contains("log retention lowered: 365 days -> 30 days"), "{report}");
}

#[test]
fn markdown_of_a_new_stack_fits_a_github_comment() {
    let dir = tempfile::tempdir().unwrap();
    assert!(stackwright(&["synth"], dir.path()).status.success());
    fs::write(dir.path().join("empty.json"), r#"{"Resources": {}}"#).unwrap();
    let run = stackwright(&["diff", "empty.json", "out", "--format", "markdown"], dir.path());
    assert_eq!(run.status.code(), Some(0), "{}", text(&run.stderr));
    let markdown = text(&run.stdout);
    assert!(markdown.chars().count() <= 65_536, "{} characters", markdown.chars().count());
    assert!(markdown.contains("\n**Left out** to stay under GitHub's 65,536-character comment limit: "), "{markdown}");
}

/// Writes `stacks` (name, template JSON) as a synth output directory `dir/name`.
fn stack_dir(dir: &Path, name: &str, stacks: &[(&str, serde_json::Value)]) -> String {
    let out = dir.join(name);
    fs::create_dir_all(&out).unwrap();
    for (stack, template) in stacks {
        fs::write(out.join(format!("{stack}.template.json")), serde_json::to_string_pretty(template).unwrap()).unwrap();
    }
    name.to_owned()
}

#[test]
fn removing_an_imported_export_asks_for_the_importer_to_go_first() {
    let dir = tempfile::tempdir().unwrap();
    let topic = serde_json::json!({"Type": "AWS::SNS::Topic"});
    let exporting = serde_json::json!({"Resources": {"Alarms": topic},
        "Outputs": {"AlarmTopic": {"Value": {"Ref": "Alarms"}, "Export": {"Name": "foundation:AlarmTopic"}}}});
    let not_exporting = serde_json::json!({"Resources": {"Alarms": topic}});
    let importing = serde_json::json!({"Resources": {"Alarms": topic},
        "Outputs": {"Topic": {"Value": {"Fn::ImportValue": "foundation:AlarmTopic"}}}});
    let not_importing = serde_json::json!({"Resources": {"Alarms": topic}});
    let deployed = stack_dir(dir.path(), "deployed", &[("foundation", exporting.clone()), ("web", importing.clone())]);

    // The export goes while the importer keeps it: no order deploys that.
    let both = stack_dir(dir.path(), "export-gone", &[("foundation", not_exporting.clone()), ("web", importing)]);
    let run = stackwright(&["diff", &deployed, &both, "--fail-on", "export-removal"], dir.path());
    assert_eq!(run.status.code(), Some(3), "{}", text(&run.stderr));
    let report = text(&run.stdout);
    assert!(
        report.contains(
            "[!] stack foundation removes export foundation:AlarmTopic, which stack web still imports: CloudFormation \
             refuses to remove an export in use; remove the import from web first, deploy web, then remove the \
             export from foundation"
        ),
        "{report}"
    );

    // The first step: the consumer drops its import, the export stays. Nothing is blocked.
    let step_one = stack_dir(dir.path(), "step-one", &[("foundation", exporting), ("web", not_importing.clone())]);
    let run = stackwright(&["diff", &deployed, &step_one, "--fail-on", "export-removal"], dir.path());
    assert_eq!(run.status.code(), Some(0), "{}", text(&run.stdout));
    assert!(!text(&run.stdout).contains("[!] stack foundation"));

    // Both at once: the importer has to be deployed first.
    let at_once = stack_dir(dir.path(), "at-once", &[("foundation", not_exporting), ("web", not_importing)]);
    let report = text(&stackwright(&["diff", &deployed, &at_once], dir.path()).stdout);
    assert!(
        report.contains(
            "[!] stack foundation removes export foundation:AlarmTopic, which the deployed stack web imports: deploy \
             web (it drops the import) before foundation, or foundation's update fails"
        ),
        "{report}"
    );
}
