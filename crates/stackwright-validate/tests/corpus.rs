//! The bad-input corpus: every `tests/corpus/*.json` is a minimal mutation of
//! `tests/good.json`; its findings are snapshotted (`tests/snapshots/corpus__<case>.snap`).

use std::fs;
use std::path::Path;

fn render(text: &str) -> String {
    let report = stackwright_validate::validate_source(text);
    let acknowledged = report.acknowledged.iter().map(|f| format!("acknowledged: {f}\n"));
    std::iter::once(report.to_string()).chain(acknowledged).collect()
}

#[test]
fn the_good_template_has_no_finding() {
    let text = fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/good.json")).unwrap();
    assert_eq!(render(&text), "");
}

#[test]
fn every_corpus_case_is_flagged_as_snapshotted() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus");
    let mut cases: Vec<_> = fs::read_dir(&dir).unwrap().map(|e| e.unwrap().path()).collect();
    cases.retain(|p| p.extension().is_some_and(|e| e == "json"));
    cases.sort();
    assert!(cases.len() >= 40, "the corpus has {} cases", cases.len());
    for path in cases {
        let name = path.file_stem().unwrap().to_string_lossy().into_owned();
        let text = fs::read_to_string(&path).unwrap();
        let rendered = render(&text);
        assert!(!rendered.is_empty(), "{name}: no finding");
        insta::assert_snapshot!(name, rendered);
    }
}
