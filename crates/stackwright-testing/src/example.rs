//! What this repository's examples assert besides their snapshots, in one call.

use std::fmt::Debug;

use stackwright_template::{App, Template};

use crate::assert_policy_hygiene;

/// Builds the app twice and asserts, for every stack: identical bytes, that the template
/// parses back and re-renders identically, [`assert_policy_hygiene`], and `stackwright
/// validate` without errors or policy findings. The snapshots are
/// [`assert_app_snapshots!`](crate::assert_app_snapshots!)'s, called by each example's test.
///
/// # Panics
///
/// When any of those does not hold (this is a test helper).
pub fn assert_example<E: Debug>(example: &str, build: fn() -> Result<App, E>) {
    let app = build().unwrap_or_else(|e| panic!("{example}: the example does not build: {e:?}"));
    let again = build().unwrap_or_else(|e| panic!("{example}: the example does not build twice: {e:?}"));
    assert!(!app.is_empty(), "{example}: no stack");
    let templates = app.templates().unwrap_or_else(|e| panic!("{example}: a stack does not build: {e}"));
    let again = again.templates().unwrap_or_else(|e| panic!("{example}: a stack does not build twice: {e}"));
    assert_eq!(templates.len(), again.len(), "{example}: two builds give different stacks");
    for ((name, template), (_, template_again)) in templates.iter().zip(&again) {
        let rendered = template.render();
        assert_eq!(rendered, template_again.render(), "{example}/{name}: two builds render different bytes");
        let parsed = Template::from_json_str(&rendered)
            .unwrap_or_else(|e| panic!("{example}/{name}: the rendered template does not parse: {e}"));
        assert_eq!(parsed.render(), rendered, "{example}/{name}: parse and re-render changed the bytes");
        assert_policy_hygiene(&format!("{example}/{name}"), template);
        let report = stackwright_validate::validate(template);
        // Stackwright's own templates are held to its policy rules too, as `synth` holds them.
        assert!(
            !report.has_errors() && !report.has_policy_findings(),
            "{example}/{name}: stackwright validate finds errors or policy findings:\n{report}"
        );
    }
}
