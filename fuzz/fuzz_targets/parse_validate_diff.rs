//! Bytes → parse → validate → diff: none of it may panic, overflow the stack or hang.
//!
//! The input is checked as a JSON template (`validate_bytes`, which also parses it). When it
//! parses as a template, it is diffed against a fixed good template (both ways, rendered as
//! text) and against itself, which must show no change. When it is UTF-8 it is also read as
//! YAML and, when that converts, validated as the JSON it converts to (what
//! `stackwright validate FILE.yaml` does). Last, it is read as `stackwright diff` reads a file,
//! as JSON and as YAML: the positioned reader (lax YAML indentation included), then the
//! salvaging model, which leaves out what breaks a rule; each left-out value is located, and
//! the template is diffed against the good one and against itself.

#![no_main]

use std::sync::LazyLock;

use libfuzzer_sys::fuzz_target;
use stackwright_diff::TextOptions;
use stackwright_template::Template;
use stackwright_template::read::{self, Format};

/// The validate corpus's good template: every section, an ECS service, roles, alarms.
static GOOD: LazyLock<Template> = LazyLock::new(|| {
    Template::from_json_str(include_str!("../../crates/stackwright-validate/tests/good.json"))
        .expect("the good template parses")
});

fuzz_target!(|bytes: &[u8]| {
    let report = stackwright_validate::validate_bytes(bytes);
    // Rendering every finding exercises the text and JSON paths the CLI takes.
    for finding in &report.findings {
        let _ = finding.to_string();
        let _ = finding.to_json();
    }
    for finding in &stackwright_validate::validate_yaml_bytes(bytes).findings {
        let _ = finding.to_string();
    }
    let Ok(text) = std::str::from_utf8(bytes) else { return };
    if let Ok(template) = Template::from_json_str(text) {
        let good = &*GOOD;
        let _ = stackwright_diff::diff(good, &template).render_text(TextOptions::default());
        let _ = stackwright_diff::diff(&template, good).render_text(TextOptions::default());
        let same = stackwright_diff::diff(&template, &template);
        assert!(!same.has_changes(), "a template differs from itself: {same:?}");
    }
    for format in [Format::Json, Format::Yaml] {
        let Ok(document) = read::read(text, format) else { continue };
        let Ok((template, left_out)) = Template::from_json_salvaging(&document.value) else { continue };
        for l in &left_out {
            let _ = document.positions.locate(&l.pointer);
        }
        let good = &*GOOD;
        let _ = stackwright_diff::diff(good, &template).render_text(TextOptions::default());
        let same = stackwright_diff::diff(&template, &template);
        assert!(!same.has_changes(), "a salvaged template differs from itself: {same:?}");
    }
});
