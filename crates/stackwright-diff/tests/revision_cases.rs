//! New revisions of versioned resources (ECS task definitions, EC2 launch templates): what
//! reads as `revision`, what stays a replacement, and what their dependants get. Each case
//! is snapshotted in text, JSON and Markdown.

use stackwright_diff::{Gate, Impact, Reason, StackDiff, TemplateDiff, TextOptions, render_json, render_markdown};
use stackwright_template::Template;

/// (name, old template, new template).
const CASES: &[(&str, &str, &str)] = &[
    (
        // A data change is a new version: the group launching from LatestVersionNumber reads
        // a new value in `LaunchTemplate`, which the registry schema lists as conditionally
        // create-only (may replace); the group reading only the template's ID is untouched.
        "launch_template_new_version",
        r#"{"Resources": {
            "Lt": {"Type": "AWS::EC2::LaunchTemplate", "Properties": {"LaunchTemplateData": {"ImageId": "ami-1", "InstanceType": "t3.small"}}},
            "Group": {"Type": "AWS::AutoScaling::AutoScalingGroup", "Properties": {"MinSize": "1", "MaxSize": "2",
                "LaunchTemplate": {"LaunchTemplateId": {"Ref": "Lt"}, "Version": {"Fn::GetAtt": ["Lt", "LatestVersionNumber"]}}}},
            "Pinned": {"Type": "AWS::AutoScaling::AutoScalingGroup", "Properties": {"MinSize": "1", "MaxSize": "2",
                "LaunchTemplate": {"LaunchTemplateId": {"Ref": "Lt"}, "Version": "1"}}}}}"#,
        r#"{"Resources": {
            "Lt": {"Type": "AWS::EC2::LaunchTemplate", "Properties": {"LaunchTemplateData": {"ImageId": "ami-2", "InstanceType": "t3.small"}}},
            "Group": {"Type": "AWS::AutoScaling::AutoScalingGroup", "Properties": {"MinSize": "1", "MaxSize": "2",
                "LaunchTemplate": {"LaunchTemplateId": {"Ref": "Lt"}, "Version": {"Fn::GetAtt": ["Lt", "LatestVersionNumber"]}}}},
            "Pinned": {"Type": "AWS::AutoScaling::AutoScalingGroup", "Properties": {"MinSize": "1", "MaxSize": "2",
                "LaunchTemplate": {"LaunchTemplateId": {"Ref": "Lt"}, "Version": "1"}}}}}"#,
    ),
    (
        // The name is create-only: a new launch template, not a version (and the type has
        // no vendored schema, so its other properties are not assessed).
        "launch_template_renamed",
        r#"{"Resources": {"Lt": {"Type": "AWS::EC2::LaunchTemplate", "Properties": {"LaunchTemplateName": "web",
            "LaunchTemplateData": {"ImageId": "ami-1"}}}}}"#,
        r#"{"Resources": {"Lt": {"Type": "AWS::EC2::LaunchTemplate", "Properties": {"LaunchTemplateName": "web-v2",
            "LaunchTemplateData": {"ImageId": "ami-2"}}}}}"#,
    ),
    (
        // The policies change nothing: a revision, no data lost; Retain keeps the old
        // revision registered (CloudFormation replaces a task definition to revise it).
        "task_definition_retained_and_parameter_default",
        r#"{"Parameters": {"Image": {"Type": "String", "Default": "nginx:1"}},
            "Resources": {"Task": {"Type": "AWS::ECS::TaskDefinition", "DeletionPolicy": "Retain", "UpdateReplacePolicy": "Retain",
                "Properties": {"Family": "web", "Cpu": "256", "ContainerDefinitions": [{"Name": "web", "Image": {"Ref": "Image"}}]}},
            "Other": {"Type": "AWS::ECS::TaskDefinition", "Properties": {"Family": "other",
                "ContainerDefinitions": [{"Name": "web", "Image": {"Ref": "Image"}}]}}},
            "Outputs": {"TaskArn": {"Value": {"Ref": "Task"}, "Export": {"Name": "task-arn"}}}}"#,
        r#"{"Parameters": {"Image": {"Type": "String", "Default": "nginx:2"}},
            "Resources": {"Task": {"Type": "AWS::ECS::TaskDefinition", "DeletionPolicy": "Retain", "UpdateReplacePolicy": "Retain",
                "Properties": {"Family": "web", "Cpu": "512", "ContainerDefinitions": [{"Name": "web", "Image": {"Ref": "Image"}}]}},
            "Other": {"Type": "AWS::ECS::TaskDefinition", "Properties": {"Family": "other",
                "ContainerDefinitions": [{"Name": "web", "Image": {"Ref": "Image"}}]}}},
            "Outputs": {"TaskArn": {"Value": {"Ref": "Task"}, "Export": {"Name": "task-arn"}}}}"#,
    ),
    (
        // A changed Condition may create or delete the task definition: may replace, not a
        // revision; a type change is a replacement.
        "task_definition_condition_and_type_change",
        r#"{"Parameters": {"Env": {"Type": "String"}},
            "Conditions": {"On": {"Fn::Equals": [{"Ref": "Env"}, "prod"]}},
            "Resources": {"Task": {"Type": "AWS::ECS::TaskDefinition", "Condition": "On", "Properties": {"Family": "web"}},
                "Was": {"Type": "AWS::ECS::TaskDefinition", "Properties": {"Family": "was"}}}}"#,
        r#"{"Parameters": {"Env": {"Type": "String"}},
            "Conditions": {"On": {"Fn::Equals": [{"Ref": "Env"}, "production"]}},
            "Resources": {"Task": {"Type": "AWS::ECS::TaskDefinition", "Condition": "On", "Properties": {"Family": "web"}},
                "Was": {"Type": "AWS::SNS::Topic"}}}"#,
    ),
];

fn diff(name: &str) -> TemplateDiff {
    stack(name).diff
}

fn stack(name: &str) -> StackDiff {
    let (_, old, new) = CASES.iter().find(|c| c.0 == name).unwrap();
    let parse = |text: &str| Template::from_json_str(text).unwrap_or_else(|e| panic!("{name}: {e}"));
    StackDiff::new("app", &parse(old), &parse(new))
}

#[test]
fn cases() {
    let mut settings = insta::Settings::clone_current();
    settings.set_prepend_module_to_snapshot(false);
    settings.bind(|| {
        for (name, _, _) in CASES {
            let stack = stack(name);
            insta::assert_snapshot!(*name, stack.diff.render_text(TextOptions::default()));
            let json = serde_json::to_string_pretty(&render_json(std::slice::from_ref(&stack))).unwrap();
            insta::assert_snapshot!(format!("{name}_json"), json);
            insta::assert_snapshot!(format!("{name}_markdown"), render_markdown(std::slice::from_ref(&stack), false));
        }
    });
}

fn impacts(diff: &TemplateDiff) -> Vec<(&str, Impact)> {
    diff.resources.values().map(|c| (c.logical_id.as_str(), c.impact)).collect()
}

#[test]
fn a_launch_template_data_change_is_a_new_version() {
    let diff = diff("launch_template_new_version");
    // `Pinned` reads only the ID, which a new version keeps.
    assert_eq!(impacts(&diff), [("Group", Impact::MayReplace), ("Lt", Impact::Revision)]);
    let lt = &diff.resources["Lt"];
    assert!(!lt.reasons.iter().any(|r| matches!(r, Reason::NotAssessed { .. })), "assessed: {:?}", lt.reasons);
    assert!(lt.property_changes.iter().all(|c| c.forces_revision && !c.may_force_replacement));
    assert!(diff.trips(Gate::Revision));
    let group = &diff.resources["Group"];
    assert!(
        group.reasons.iter().any(|r| matches!(r, Reason::ReferencesReplaced { impact: Impact::MayReplace, .. })),
        "{:?}",
        group.reasons
    );
}

#[test]
fn a_renamed_launch_template_is_replaced_not_a_version() {
    // `LaunchTemplateName` is create-only in the registry schema: certainly replaced, whatever
    // the data change beside it does.
    let diff = diff("launch_template_renamed");
    let lt = &diff.resources["Lt"];
    assert_eq!(lt.impact, Impact::Replace);
    assert!(lt.reasons.contains(&Reason::CreateOnlyChanged { path: "/Properties/LaunchTemplateName".into() }));
    assert!(diff.trips(Gate::Replace));
    let flags: Vec<(&str, bool, bool, bool)> = lt
        .property_changes
        .iter()
        .map(|c| (c.path.as_str(), c.forces_revision, c.forces_replacement, c.may_force_replacement))
        .collect();
    assert_eq!(
        flags,
        [
            ("/Properties/LaunchTemplateData/ImageId", true, false, false),
            ("/Properties/LaunchTemplateName", false, true, false)
        ]
    );
}

#[test]
fn retain_policies_change_nothing_and_uncertain_revisions_say_may() {
    let diff = diff("task_definition_retained_and_parameter_default");
    assert_eq!(impacts(&diff), [("Other", Impact::Revision), ("Task", Impact::Revision)]);
    assert!(!diff.has_data_loss());
    assert!(diff.resources["Task"].reasons.contains(&Reason::OldRetainedOnReplace));
    // Cpu changed: certain. Other reads only the parameter whose Default changed.
    let certain = |id: &str| {
        diff.resources[id].reasons.iter().any(|r| matches!(r, Reason::RevisionPropertyChanged { certain: true, .. }))
    };
    assert!(certain("Task") && !certain("Other"));
    let export = diff.exports.iter().find(|e| e.output == "TaskArn").unwrap();
    let change = export.value_change.as_ref().unwrap();
    assert_eq!((change.why.as_str(), change.certain), ("Task gets a new revision", true));
    assert!(diff.trips(Gate::ExportRemoval), "importers of the old ARN block the update");
}

#[test]
fn a_condition_or_type_change_stays_a_replacement() {
    let diff = diff("task_definition_condition_and_type_change");
    assert_eq!(impacts(&diff), [("Task", Impact::MayReplace), ("Was", Impact::Replace)]);
    assert!(diff.trips(Gate::Replace) && !diff.trips(Gate::Revision));
}
