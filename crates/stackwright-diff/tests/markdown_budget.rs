//! The Markdown budget: whatever the diff, the document stays within `max_chars`, keeps the
//! counts, the risky lines and the security tables before resource details, and its last
//! line says what it left out.

use std::fmt::Write as _;

use stackwright_diff::{MarkdownOptions, StackDiff, diff_stacks, render_markdown, render_markdown_with};
use stackwright_template::Template;

/// A stack of `n` new log groups and one new role whose policy has a wildcard (a risky line
/// and a security row).
fn stack(n: usize) -> Template {
    let mut resources = String::from(
        r#""Role": {"Type": "AWS::IAM::Role", "Properties": {"AssumeRolePolicyDocument": {"Statement": []},
            "Policies": [{"PolicyName": "p", "PolicyDocument": {"Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]}}]}}"#,
    );
    for i in 0..n {
        let _ = write!(
            resources,
            r#", "Logs{i:04}": {{"Type": "AWS::Logs::LogGroup", "Properties": {{"LogGroupName": "/app/{i}", "RetentionInDays": 30}}}}"#
        );
    }
    Template::from_json_str(&format!(r#"{{"Resources": {{{resources}}}}}"#)).unwrap()
}

fn added(stacks: &[(&str, usize)]) -> Vec<StackDiff> {
    let new: Vec<(String, Template)> = stacks.iter().map(|(name, n)| ((*name).to_owned(), stack(*n))).collect();
    diff_stacks(&[], &new)
}

fn chars(text: &str) -> usize {
    text.chars().count()
}

#[test]
fn a_small_diff_is_whole_and_says_nothing_is_left_out() {
    let markdown = render_markdown(&added(&[("app", 3)]), false);
    assert!(!markdown.contains("Left out"), "{markdown}");
    assert!(markdown.contains("<code>Logs0002</code>"));
}

#[test]
fn details_stop_at_the_budget_and_the_rest_is_summarized() {
    let stacks = added(&[("app", 200)]);
    let options = MarkdownOptions::default().max_chars(8_000);
    let markdown = render_markdown_with(&stacks, &options);
    assert!(chars(&markdown) <= 8_000, "{}", chars(&markdown));
    // The security row and the risky line are kept; the log groups past the budget are not.
    assert!(markdown.contains("**IAM broadening**"));
    assert!(markdown.contains("### Security\n\n| | Direction |"));
    assert!(markdown.contains("<code>Logs0000</code>"));
    assert!(!markdown.contains("<code>Logs0199</code>"));
    let footer = markdown.rsplit("\n---\n\n").next().unwrap();
    assert!(
        footer.starts_with("**Left out** to stay under the 8000-character limit: the details of ")
            && footer.contains(" resources in `app`. The full diff: `stackwright diff --format text`"),
        "{footer}"
    );
    assert!(markdown.contains("**Details left out** for "), "{markdown}");
}

#[test]
fn later_stacks_keep_their_summaries() {
    let stacks = added(&[("a", 300), ("b", 5), ("c", 5)]);
    let markdown = render_markdown_with(&stacks, &MarkdownOptions::default().max_chars(12_000));
    assert!(chars(&markdown) <= 12_000);
    for name in ["a", "b", "c"] {
        assert!(markdown.contains(&format!("### Stack `{name}` (added)")), "{name}: {markdown}");
    }
    // `a` filled the budget: `b` and `c` are summarized, their security tables kept.
    assert!(markdown.contains("**Details left out** for 6 of 6 resources"), "{markdown}");
    assert_eq!(markdown.matches("#### Security").count(), 3, "{markdown}");
}

#[test]
fn an_extra_section_fits_whole_or_is_left_out_whole() {
    let stacks = added(&[("app", 2)]);
    let fits = MarkdownOptions::default().section("Changed resources", "```mermaid\ngraph LR\n  A --> B\n```");
    let markdown = render_markdown_with(&stacks, &fits);
    let risky = markdown.find("### ⚠ Risky changes").unwrap();
    let section = markdown.find("### Changed resources\n\n```mermaid\ngraph LR\n  A --> B\n```\n").unwrap();
    let details = markdown.find("### Resources").unwrap();
    assert!(risky < section && section < details, "after the risky changes, before the details");
    let huge = MarkdownOptions::default().max_chars(6_000).section("Graph", "x".repeat(10_000));
    let markdown = render_markdown_with(&stacks, &huge);
    assert!(chars(&markdown) <= 6_000);
    assert!(!markdown.contains("xxxxx"));
    assert!(
        markdown.contains("**Left out** to stay under the 6000-character limit: the section \"Graph\"."),
        "{markdown}"
    );
}

#[test]
fn the_limit_holds_for_many_stacks_and_many_risky_lines() {
    let names: Vec<String> = (0..400).map(|i| format!("stack-{i:03}")).collect();
    let stacks: Vec<(&str, usize)> = names.iter().map(|n| (n.as_str(), 20)).collect();
    let stacks = added(&stacks);
    for limit in [65_536, 20_000, 3_000, 500, 0] {
        let markdown = render_markdown_with(&stacks, &MarkdownOptions::default().max_chars(limit));
        assert!(chars(&markdown) <= limit, "{limit}: {}", chars(&markdown));
        assert!(limit < 1_000 || markdown.contains("**Left out**"), "{limit}");
    }
    let markdown = render_markdown_with(&stacks, &MarkdownOptions::default().max_chars(20_000));
    assert!(markdown.contains("risky changes"), "the risky lines past half the budget are counted");
}

#[test]
fn security_only_keeps_security_and_counts() {
    let stacks = added(&[("app", 50)]);
    let markdown = render_markdown(&stacks, true);
    assert!(!markdown.contains("<details>"));
    assert!(markdown.contains("### Security"));
    assert!(!markdown.contains("Left out"), "nothing of what --security-only shows is left out: {markdown}");
}
