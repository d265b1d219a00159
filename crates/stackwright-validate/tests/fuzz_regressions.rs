//! Inputs that once crashed, hung or exhausted memory (found by the `cargo fuzz` target in
//! `fuzz/`, see docs/VALIDATE.md, or in review): each file of `tests/fuzz-regressions/` goes
//! through every path the fuzz target takes, and must come out as findings.

use std::fs;
use std::path::Path;

use stackwright_diff::TextOptions;
use stackwright_template::Template;
use stackwright_template::read::{self, Format};

/// What the fuzz target does with one input, minus libFuzzer.
fn exercise(bytes: &[u8]) {
    for report in [stackwright_validate::validate_bytes(bytes), stackwright_validate::validate_yaml_bytes(bytes)] {
        for finding in &report.findings {
            let _ = finding.to_string();
            let _ = finding.to_json();
        }
    }
    let Ok(text) = std::str::from_utf8(bytes) else { return };
    let good = Template::from_json_str(include_str!("good.json")).unwrap();
    if let Ok(template) = Template::from_json_str(text) {
        let _ = stackwright_diff::diff(&good, &template).render_text(TextOptions::default());
        let _ = stackwright_diff::diff(&template, &good).render_text(TextOptions::default());
        assert!(!stackwright_diff::diff(&template, &template).has_changes(), "a template differs from itself");
    }
    // As `stackwright diff` reads a file: positioned reader, then the salvaging model.
    for format in [Format::Json, Format::Yaml] {
        let Ok(document) = read::read(text, format) else { continue };
        let Ok((template, left_out)) = Template::from_json_salvaging(&document.value) else { continue };
        for l in &left_out {
            let _ = document.positions.locate(&l.pointer);
        }
        let _ = stackwright_diff::diff(&good, &template).render_text(TextOptions::default());
        assert!(!stackwright_diff::diff(&template, &template).has_changes(), "a salvaged template differs from itself");
    }
}

#[test]
fn every_recorded_input_is_handled() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fuzz-regressions");
    let mut cases: Vec<_> = fs::read_dir(&dir).unwrap().map(|e| e.unwrap().path()).collect();
    cases.retain(|path| path.extension().is_none_or(|ext| ext != "md"));
    cases.sort();
    assert!(!cases.is_empty());
    for path in cases {
        let bytes = fs::read(&path).unwrap();
        let started = std::time::Instant::now();
        exercise(&bytes);
        // A generous bound: these took seconds to minutes (or never ended) before their fix.
        assert!(started.elapsed().as_secs() < 5, "{}: {:?}", path.display(), started.elapsed());
    }
}

#[test]
fn yaml_aliases_that_expand_too_far_are_parse_errors() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fuzz-regressions");
    let found: Vec<String> = ["yaml-alias-billion-laughs.yaml", "yaml-alias-deeper-than-128.yaml"]
        .iter()
        .flat_map(|name| {
            let report = stackwright_validate::validate_yaml_bytes(&fs::read(dir.join(name)).unwrap());
            report.findings.iter().map(|f| f.located(name)).collect::<Vec<_>>()
        })
        .collect();
    assert_eq!(
        found,
        [
            "yaml-alias-billion-laughs.yaml:6:45: error[template/parse]: not valid YAML: the document expands to \
             more than 1000000 nodes (aliases included): refused as an alias bomb",
            "yaml-alias-deeper-than-128.yaml:13:21: error[template/parse]: not valid YAML: nested deeper than 128 \
             levels once aliases are expanded",
        ]
    );
}

/// The YAML reader (`stackwright_template::read::yaml`, which `validate` and `diff` share) once
/// copied every alias with no bound on the result: an alias chain 100,000 levels deep, from
/// 350 kB of YAML, overflowed the stack when the copy was cloned or dropped (and the
/// billion-laughs file above asked it for about 24 GB). It counts as it expands now.
#[test]
fn yaml_to_json_bounds_alias_expansion() {
    let text: String = std::iter::once("a0: &a0 [[[[[[[[[[x]]]]]]]]]]\n".to_owned())
        .chain((1..10_000).map(|i| format!("a{i}: &a{i} [[[[[[[[[[*a{}]]]]]]]]]]\n", i - 1)))
        .collect();
    assert!(stackwright_template::read::yaml::to_json(&text).is_err());
}
