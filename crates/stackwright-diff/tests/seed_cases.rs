//! Diff cases on the real seed template: `tests/fixtures/seed-pipeline.template.json` (the
//! output of `cargo run -- synth --stdout` when it was taken) edited as
//! `tests/fixtures/seed-edits.json` says, each snapshotted in text, JSON and Markdown; and
//! the empty → seed diff in Markdown, which must stay under GitHub's comment limit.

use serde_json::Value as Json;
use stackwright_diff::{
    Category, GITHUB_COMMENT_LIMIT, Gate, Impact, Reason, StackDiff, TemplateDiff, TextOptions, diff_stacks,
    render_json, render_markdown,
};
use stackwright_template::Template;

const SEED: &str = include_str!("fixtures/seed-pipeline.template.json");
const EDITS: &str = include_str!("fixtures/seed-edits.json");

/// The seed template with the named case's edits applied.
fn edited(case: &str) -> Json {
    let edits: Json = serde_json::from_str(EDITS).unwrap();
    let mut template: Json = serde_json::from_str(SEED).unwrap();
    let case = edits.get(case).unwrap_or_else(|| panic!("no case {case} in seed-edits.json"));
    for edit in case["edits"].as_array().unwrap() {
        let path = edit["path"].as_str().unwrap();
        let (parent, key) = path.rsplit_once('/').unwrap();
        let target = template.pointer_mut(parent).unwrap_or_else(|| panic!("{path}: no parent"));
        match edit["op"].as_str().unwrap() {
            "set" => {
                target[key] = edit["value"].clone();
            }
            "replace_text" => {
                let (from, to) = (edit["from"].as_str().unwrap(), edit["to"].as_str().unwrap());
                let text = target[key].as_str().unwrap();
                assert_eq!(text.matches(from).count(), 1, "{path}: {from:?} must occur once");
                target[key] = text.replace(from, to).into();
            }
            op => panic!("unknown op {op}"),
        }
    }
    template
}

fn stack(case: &str) -> StackDiff {
    let old = Template::from_json_str(SEED).unwrap();
    let new = Template::from_json(&edited(case)).unwrap();
    StackDiff::new("seed-pipeline", &old, &new)
}

/// Snapshots the case in the three formats and returns its diff.
fn snapshot(case: &str) -> TemplateDiff {
    let stack = stack(case);
    let mut settings = insta::Settings::clone_current();
    settings.set_prepend_module_to_snapshot(false);
    settings.bind(|| {
        let name = format!("seed_{case}");
        insta::assert_snapshot!(name.clone(), stack.diff.render_text(TextOptions::default()));
        let json = serde_json::to_string_pretty(&render_json(std::slice::from_ref(&stack))).unwrap();
        insta::assert_snapshot!(format!("{name}_json"), json);
        insta::assert_snapshot!(format!("{name}_markdown"), render_markdown(std::slice::from_ref(&stack), false));
    });
    stack.diff
}

#[test]
fn an_environment_variable_is_a_new_revision_and_passes_fail_on_replace() {
    let diff = snapshot("environment_variable");
    let impact = |id: &str| diff.resources[id].impact;
    assert_eq!(impact("ShopWebTask"), Impact::Revision);
    // The service's TaskDefinition is updatable: a rolling deployment, not a replacement.
    assert_eq!(impact("ShopWebService"), Impact::Update);
    assert_eq!(diff.resources.len(), 2, "{:#?}", diff.resources.keys());
    assert!(!diff.trips(Gate::Replace), "--fail-on replace passes");
    assert!(diff.trips(Gate::Revision), "--fail-on revision trips");
    assert!(!diff.trips(Gate::DataLoss) && !diff.trips(Gate::SecurityDowngrade));
    let task = &diff.resources["ShopWebTask"];
    assert_eq!(task.reasons[0], Reason::Revision { effect: "new task definition revision; the service rolls out" });
    assert!(task.property_changes.iter().all(|c| c.forces_revision && !c.forces_replacement));
}

#[test]
fn a_repository_rename_is_still_a_replacement_with_its_knock_on() {
    let diff = snapshot("repository_rename");
    assert_eq!(diff.resources["ShopRepository"].impact, Impact::Replace);
    assert!(diff.trips(Gate::Replace));
    // Each resource reading the repository's URI or ARN is updated, and says why.
    let knock_on: Vec<(&str, Impact)> = diff
        .resources
        .values()
        .filter(|c| {
            c.reasons.iter().any(|r| {
                matches!(r, Reason::ReferencesReplaced { target, target_impact: Impact::Replace, .. }
                    if target == "ShopRepository")
            })
        })
        .map(|c| (c.logical_id.as_str(), c.impact))
        .collect();
    assert_eq!(
        knock_on,
        [
            ("ShopBuild", Impact::Update),
            ("ShopBuildRole", Impact::Update),
            ("ShopWebTaskExecutionRole", Impact::Update)
        ]
    );
    assert_eq!(diff.replacement_chain("ShopBuild"), ["ShopRepository", "ShopBuild"]);
    // Its UpdateReplacePolicy keeps the old repository: no data loss.
    assert!(!diff.has_data_loss());
}

#[test]
fn a_one_word_buildspec_change_shows_one_changed_line() {
    let diff = snapshot("buildspec_one_word");
    let build = &diff.resources["ShopBuild"];
    assert_eq!(build.impact, Impact::Update);
    let text = diff.render_text(TextOptions::default());
    let changed: Vec<&str> =
        text.lines().filter(|l| l.starts_with("        - ") || l.starts_with("        + ")).collect();
    assert_eq!(changed, ["        -       - \"make test\"", "        +       - \"make check\""]);
    assert!(text.len() < 1_000, "the 2 KB buildspec is not printed twice:\n{text}");
    let json = render_json(&[stack("buildspec_one_word")]);
    let line_diff = json["stacks"][0]["resources"][0]["property_changes"][0]["line_diff"].as_str().unwrap();
    let signs: Vec<&str> = line_diff.lines().filter(|l| l.starts_with(['-', '+'])).collect();
    assert_eq!(signs, ["-      - \"make test\"", "+      - \"make check\""]);
}

#[test]
fn shorter_log_retention_and_scan_on_push_off_are_downgrades() {
    for (case, resource, category, message) in [
        (
            "log_retention_shortened",
            "ShopWebTaskLogs",
            Category::Retention,
            "log retention lowered: 365 days -> 30 days",
        ),
        ("scan_on_push_off", "ShopRepository", Category::Scanning, "scan on push turned off"),
    ] {
        let diff = snapshot(case);
        let found: Vec<(&str, Category, &str)> =
            diff.security.downgrades.iter().map(|d| (d.resource.as_str(), d.category, d.message.as_str())).collect();
        assert_eq!(found, [(resource, category, message)], "{case}");
        assert!(diff.trips(Gate::SecurityDowngrade), "{case}: --fail-on security-downgrade trips");
        assert_eq!(diff.counts().security_downgrades, 1);
    }
}

#[test]
fn empty_to_seed_markdown_fits_a_github_comment_and_says_what_it_left_out() {
    let seed = Template::from_json_str(SEED).unwrap();
    let stacks = diff_stacks(&[], &[("seed-pipeline".to_owned(), seed)]);
    let markdown = render_markdown(&stacks, false);
    let chars = markdown.chars().count();
    assert!(chars <= GITHUB_COMMENT_LIMIT, "{chars} characters");
    let footer = markdown.rsplit("\n---\n\n").next().unwrap();
    insta::assert_snapshot!(footer, @"**Left out** to stay under GitHub's 65,536-character comment limit: the details of 13 resources in `seed-pipeline`; 1 stack's other sections. The full diff: `stackwright diff --format text` (or `--format json`) on the same inputs.");
    // What is kept: the counts, every risky line, the security tables and a summary of the
    // resources left out.
    assert!(
        markdown.starts_with("## Stackwright diff\n\n| Change | Count |\n|---|---:|\n| Create | 39 |"),
        "{markdown}"
    );
    assert!(markdown.contains("### ⚠ Risky changes"));
    assert!(markdown.contains("**Details left out** for 13 of 39 resources. This stack: 39 to create"), "{markdown}");
    assert!(markdown.contains("### Security\n\n| | Direction | Resource | Policy |"));
    // The same inputs give the same bytes.
    assert_eq!(markdown, render_markdown(&stacks, false));
}
