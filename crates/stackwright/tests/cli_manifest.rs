//! The manifest path end to end: `init`, then `synth`, `list`, `validate`, `diff --baseline`
//! on `./stackwright.yaml` or `--manifest FILE`; bad manifests exit 1 and write nothing.

mod common;

use std::fs;
use std::path::Path;

use common::{stackwright, text};

fn seed_manifest() -> String {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/manifests/seed-pipeline.yaml").display().to_string()
}

#[test]
fn init_then_synth_works_in_an_empty_directory() {
    let dir = tempfile::tempdir().unwrap();
    let app = dir.path().join("my-shop");
    fs::create_dir(&app).unwrap();
    let init = stackwright(&["init"], &app);
    assert!(init.status.success(), "{}", text(&init.stderr));
    let manifest = fs::read_to_string(app.join("stackwright.yaml")).unwrap();
    assert!(manifest.starts_with("# yaml-language-server: $schema=stackwright.schema.json\n"));
    assert_eq!(fs::read_to_string(app.join("stackwright.schema.json")).unwrap(), stackwright_schema());
    let synth = stackwright(&["synth"], &app);
    assert!(synth.status.success(), "{}", text(&synth.stderr));
    assert!(app.join("out/my-shop-web.template.json").is_file());
    let list = stackwright(&["list"], &app);
    assert_eq!(text(&list.stdout).lines().next().map(|l| l.split('\t').next()), Some(Some("my-shop-web")));
    let validate = stackwright(&["validate"], &app);
    assert!(validate.status.success(), "{}", text(&validate.stderr));
    assert!(text(&validate.stderr).ends_with("my-shop-web: valid\n"));
    let diff = stackwright(&["diff", "--baseline", "out", "--exit-code"], &app);
    assert_eq!(diff.status.code(), Some(0), "{}", text(&diff.stderr));
}

fn stackwright_schema() -> String {
    let schema = stackwright(&["schema"], Path::new("."));
    assert!(schema.status.success());
    text(&schema.stdout)
}

#[test]
fn every_init_variant_synthesizes() {
    for (service, source) in [("web", "codecommit"), ("worker", "github"), ("worker", "codecommit")] {
        let dir = tempfile::tempdir().unwrap();
        let init = stackwright(&["init", "--service", service, "--source", source], dir.path());
        assert!(init.status.success(), "{}", text(&init.stderr));
        let synth = stackwright(&["synth"], dir.path());
        assert!(synth.status.success(), "{service} {source}: {}", text(&synth.stderr));
    }
}

#[test]
fn init_never_overwrites_a_manifest() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("stackwright.yaml"), "mine\n").unwrap();
    let init = stackwright(&["init"], dir.path());
    assert_eq!(init.status.code(), Some(1));
    assert_eq!(text(&init.stderr), "error: stackwright.yaml exists already: init does not overwrite it\n");
    assert_eq!(fs::read_to_string(dir.path().join("stackwright.yaml")).unwrap(), "mine\n");
}

#[test]
fn manifest_names_a_file_and_gives_the_seed() {
    let dir = tempfile::tempdir().unwrap();
    let synth = stackwright(&["synth", "--manifest", &seed_manifest()], dir.path());
    assert!(synth.status.success(), "{}", text(&synth.stderr));
    let built_in = tempfile::tempdir().unwrap();
    assert!(stackwright(&["synth"], built_in.path()).status.success());
    let file = "out/seed-pipeline.template.json";
    assert_eq!(fs::read(dir.path().join(file)).unwrap(), fs::read(built_in.path().join(file)).unwrap());
}

#[test]
fn a_bad_manifest_exits_1_with_its_position_and_writes_nothing() {
    let cases: [(&str, &str); 4] = [
        (
            "name: shop\nservices:\n  - name: web\n    type: web\n    desired_cont: 3\n    pipeline:\n      source: {provider: github, repository: o/r}\n",
            "stackwright.yaml:5:5: services[0].desired_cont: unknown key `desired_cont`: did you mean `desired_count`?",
        ),
        (
            "name: shop\nservices:\n  - name: web\n    type: web\n    cpu: 300\n    pipeline:\n      source: {provider: github, repository: o/r}\n",
            "stackwright.yaml:5:5: services[0].cpu: Fargate CPU units must be",
        ),
        ("", "stackwright.yaml:1:1: the manifest is empty"),
        ("name: [\n", "stackwright.yaml:"),
    ];
    for (manifest, expected) in cases {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("stackwright.yaml"), manifest).unwrap();
        for command in [&["synth"][..], &["list"], &["validate"]] {
            let run = stackwright(command, dir.path());
            assert_eq!(run.status.code(), Some(1), "{manifest}");
            assert!(text(&run.stderr).starts_with(&format!("error: {expected}")), "{}", text(&run.stderr));
        }
        assert!(!dir.path().join("out").exists(), "{manifest}");
    }
}

#[test]
fn app_and_manifest_are_exclusive() {
    let run = stackwright(&["synth", "--app", "seed", "--manifest", &seed_manifest()], Path::new("."));
    assert_eq!(run.status.code(), Some(1));
}
