//! `synth` end to end on an app whose constructs break three rules: one run reports all three,
//! each with its construct path, sorted, exits 1 and writes nothing.
//!
//! The app is this test's own executable: started with [`AS_APP`] set, `main` is the app's
//! `main` (`stackwright_cli::run`), exactly as in a platform team's crate; otherwise it runs
//! the checks, starting itself as that app. (`harness = false` in Cargo.toml.)

use std::io::Write;
use std::path::Path;
use std::process::{Command, ExitCode, Output};

use stackwright_constructs::ecr::{Repository, RepositoryProps};
use stackwright_constructs::kms::{Key, KeyProps};
use stackwright_constructs::sns::{Topic, TopicProps};
use stackwright_constructs::{Error, Stack};
use stackwright_template::App;

const AS_APP: &str = "STACKWRIGHT_TEST_RUN_AS_APP";

/// Three independent mistakes, in three constructs of one stack.
fn app() -> Result<App, Error> {
    let mut stack = Stack::new("shop")?;
    let key = Key::new(&mut stack, "Key", KeyProps::new().pending_window_days(3))?;
    Topic::new(&mut stack, "Alerts", &key, TopicProps::new().email("not an email"))?;
    Repository::new(&mut stack, "Images", &key, RepositoryProps::new().name("Shop_Web"))?;
    let mut app = App::new();
    app.add_stack(stack.finish()?)?;
    Ok(app)
}

const EXPECTED: &str = "\
error: Alerts: an email subscription needs an address like `name@example.com`, got \"not an email\" [sns-topic/email]
Images: name must be 2-256 characters of lowercase components (a-z 0-9 joined by . _ __ or -) separated by /, got \"Shop_Web\" [ecr-repository/name]
Key: pending_window_days must be 7..=30, got 3 [kms-key/pending-window]
";

fn run_as_app(args: &[&str], cwd: &Path) -> Output {
    let exe = std::env::current_exe().expect("the test knows its executable");
    Command::new(exe).args(args).env(AS_APP, "1").current_dir(cwd).output().expect("the app starts")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8(bytes.to_vec()).expect("UTF-8 output")
}

fn synth_reports_every_construct_error_and_writes_nothing() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let run = run_as_app(&["synth"], dir.path());
    assert_eq!(run.status.code(), Some(1), "{}", text(&run.stderr));
    assert_eq!(text(&run.stderr), EXPECTED);
    assert!(run.stdout.is_empty());
    assert!(!dir.path().join("out").exists(), "synth wrote out/ for an app that does not build");

    let printed = run_as_app(&["synth", "--stdout"], dir.path());
    assert_eq!(printed.status.code(), Some(1));
    assert_eq!(text(&printed.stderr), EXPECTED);
    assert!(printed.stdout.is_empty(), "--stdout printed a template of an app that does not build");
}

fn main() -> ExitCode {
    if std::env::var_os(AS_APP).is_some() {
        return stackwright_cli::run(app);
    }
    synth_reports_every_construct_error_and_writes_nothing();
    let _ = writeln!(std::io::stdout(), "test synth_reports_every_construct_error_and_writes_nothing ... ok");
    ExitCode::SUCCESS
}
