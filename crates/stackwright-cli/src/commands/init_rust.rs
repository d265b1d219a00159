//! `init --rust`: an app crate like `examples/seed-pipeline`, with one snapshot test and one
//! assertion test that pass as they stand. The stack's snapshot is written too, from the same
//! construct calls as the crate's `src/lib.rs`, so `cargo test` passes before any change.

use std::fmt::Write as _;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use stackwright_constructs::Stack;
use stackwright_constructs::patterns::{SeedPipeline, SeedPipelineProps, Source};
use stackwright_manifest::init::app_name;
use stackwright_template::App;

const CARGO_TOML: &str = include_str!("scaffold/Cargo.toml.txt");
const LIB_RS: &str = include_str!("scaffold/lib.rs.txt");
const MAIN_RS: &str = include_str!("scaffold/main.rs.txt");
const TEST_RS: &str = include_str!("scaffold/test.rs.txt");
const GITIGNORE: &str = include_str!("scaffold/gitignore.txt");

/// The checkout this binary was built from: where the crate's path dependencies point by default.
fn built_from() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Writes the crate into `dir` (named after it); refuses before writing anything when one of
/// its files exists already.
pub(crate) fn run(dir: &Path, stackwright: Option<&Path>) -> anyhow::Result<()> {
    let root = stackwright.map_or_else(built_from, Path::to_path_buf);
    let root = std::path::absolute(&root).unwrap_or(root);
    if !root.join("crates/stackwright-cli/Cargo.toml").is_file() {
        bail!(
            "{} is not a Stackwright checkout (no crates/stackwright-cli/Cargo.toml): pass one with --stackwright-path DIR",
            root.display()
        );
    }
    let root = normalized(&root);
    let absolute = std::path::absolute(dir).unwrap_or_else(|_| dir.to_path_buf());
    let app = app_name(&absolute.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default());
    let files = files(&app, &root)?;
    let existing: Vec<&str> =
        files.iter().filter(|(name, _)| dir.join(name).exists()).map(|(n, _)| n.as_str()).collect();
    if !existing.is_empty() {
        bail!("init --rust does not overwrite existing files: {}", existing.join(", "));
    }
    for (name, text) in &files {
        let path = dir.join(name);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).with_context(|| format!("cannot create {}", parent.display()))?;
        }
        std::fs::write(&path, text).with_context(|| format!("writing {}", path.display()))?;
    }
    let mut stderr = std::io::stderr().lock();
    writeln!(stderr, "wrote the app crate {app} ({} files); next: cargo test, cargo run -- synth", files.len())?;
    Ok(())
}

/// Every file of the crate, by path relative to its root.
fn files(app: &str, root: &str) -> anyhow::Result<Vec<(String, String)>> {
    let krate = app.replace('-', "_");
    let fill = |text: &str| text.replace("__ROOT__", root).replace("__CRATE__", &krate).replace("__APP__", app);
    let mut files = vec![
        ("Cargo.toml".to_owned(), fill(CARGO_TOML)),
        (".gitignore".to_owned(), GITIGNORE.to_owned()),
        ("src/lib.rs".to_owned(), fill(LIB_RS)),
        ("src/main.rs".to_owned(), fill(MAIN_RS)),
        ("tests/app.rs".to_owned(), fill(TEST_RS)),
    ];
    for (stack, template) in scaffold_app(app)?.finished_stacks() {
        let mut snapshot = String::from("---\nsource: tests/app.rs\n---\n");
        let _ = write!(snapshot, "{}", template.render());
        files.push((format!("snapshots/{stack}.snap"), snapshot));
    }
    Ok(files)
}

/// The app `src/lib.rs` builds, built here for its snapshot. It must make the same calls as
/// `scaffold/lib.rs.txt`; CI builds a fresh scaffold and runs its snapshot test, which fails
/// when the two drift apart.
fn scaffold_app(app: &str) -> anyhow::Result<App> {
    let build = || -> Result<App, stackwright_constructs::Error> {
        let mut stack =
            Stack::new(app)?.with_description(format!("{app}: a Fargate service and its delivery pipeline"));
        let source = Source::github(format!("{app}-github"), format!("example-org/{app}"), "main");
        let props = SeedPipelineProps::new(app, source)
            .unit_test_command("make test")
            .health_check_path("/healthz")
            .alarm_email("oncall@example.com");
        SeedPipeline::new(&mut stack, "Service", props)?;
        let mut built = App::new();
        built.add_stack(stack.finish()?)?;
        Ok(built)
    };
    build().map_err(|e| anyhow::anyhow!("the app crate's stack for {app:?} does not build: {e}"))
}

/// `root` without `.`/`..` segments, with `/` separators, for a readable Cargo.toml.
fn normalized(root: &Path) -> String {
    let mut parts: Vec<String> = Vec::new();
    for component in root.components() {
        match component {
            std::path::Component::ParentDir => {
                parts.pop();
            }
            std::path::Component::CurDir => {}
            std::path::Component::RootDir => parts.push(String::new()),
            other => parts.push(other.as_os_str().to_string_lossy().into_owned()),
        }
    }
    match parts.as_slice() {
        [only] if only.is_empty() => "/".to_owned(),
        _ => parts.join("/"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_crate_is_named_after_the_directory_and_points_at_the_checkout() {
        let files = files("shop-api", "/src/stackwright").unwrap();
        let names: Vec<&str> = files.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(
            names,
            ["Cargo.toml", ".gitignore", "src/lib.rs", "src/main.rs", "tests/app.rs", "snapshots/shop-api.snap"]
        );
        let text = |name: &str| files.iter().find(|(n, _)| n == name).unwrap().1.clone();
        assert!(text("Cargo.toml").contains("name = \"shop-api\""));
        assert!(text("Cargo.toml").contains("path = \"/src/stackwright/crates/stackwright-testing\""));
        assert!(text("src/main.rs").contains("stackwright_cli::run(shop_api::app)"));
        assert!(text("tests/app.rs").contains("use shop_api::{STACK_NAME, app};"));
        assert!(!files.iter().any(|(_, t)| t.contains("__")), "every placeholder is filled");
        assert!(text("snapshots/shop-api.snap").contains("\"AWS::ECS::Service\""));
    }

    #[test]
    fn paths_are_normalized() {
        assert_eq!(normalized(Path::new("/a/b/../c/./d")), "/a/c/d");
        assert_eq!(normalized(Path::new("/")), "/");
    }
}
