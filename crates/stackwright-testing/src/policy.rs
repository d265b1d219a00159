//! Stackwright's rules as a test: [`assert_policy`].

use std::fmt::Write as _;

use stackwright_template::App;
use stackwright_validate::Severity;

use crate::hygiene::hygiene_findings;

/// Runs `stackwright validate` on every stack of `app` and the IAM hygiene check
/// ([`assert_policy_hygiene`](crate::assert_policy_hygiene)), as `synth` holds its own
/// templates to them: any error (what CloudFormation would reject), any policy-level finding
/// (Stackwright's security, hygiene and delivery rules) that is not acknowledged in the
/// resource's `Metadata`, any wildcard or unscoped IAM grant fails.
///
/// # Panics
///
/// When there is any such finding; the message lists every one, by stack.
#[track_caller]
pub fn assert_policy(app: &App) {
    if let Err(message) = check_policy(app) {
        panic!("{message}");
    }
}

/// [`assert_policy`], with the list of findings returned (one per line) instead.
pub fn check_policy(app: &App) -> Result<(), String> {
    let mut lines = Vec::new();
    for name in app.names() {
        let template = match app.build(name) {
            Ok(template) => template,
            Err(error) => {
                lines.push(format!("{name}: does not build: {error}"));
                continue;
            }
        };
        let template = &*template;
        let report = stackwright_validate::validate(template);
        for finding in report.findings.iter().filter(|f| matches!(f.severity, Severity::Error | Severity::Policy)) {
            lines.push(format!("{name}: {finding}"));
        }
        lines.extend(hygiene_findings(name.as_str(), template));
    }
    if lines.is_empty() {
        return Ok(());
    }
    let mut message = format!("{} policy finding(s):\n", lines.len());
    for line in &lines {
        let _ = writeln!(message, "  {line}");
    }
    Err(message.trim_end().to_owned())
}
