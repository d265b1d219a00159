//! Snapshots of an app's stacks in the caller's crate: [`assert_app_snapshots!`](crate::assert_app_snapshots!).
//!
//! A macro, not a function: `env!("CARGO_MANIFEST_DIR")`, `file!()` and `module_path!()`
//! expand where they are written, so inside a function of this crate they would name this
//! crate. Expanded in the user's test, they name the user's crate, and insta records the
//! user's test file as each snapshot's source.

use stackwright_template::App;

/// Each stack's snapshot name (`<prefix>__<stack>`, or `<stack>` without a prefix) and its
/// template exactly as `synth` writes it; deferred stacks are built, one at a time.
///
/// # Panics
///
/// When a deferred stack fails to build (this is a test helper).
#[doc(hidden)]
#[track_caller]
pub fn stacks(app: &App, prefix: &str) -> Vec<(String, String)> {
    app.names()
        .into_iter()
        .map(|name| {
            let template =
                app.build(name).unwrap_or_else(|e| panic!("assert_app_snapshots!: stack {name} does not build: {e}"));
            let snapshot = if prefix.is_empty() { name.to_string() } else { format!("{prefix}__{name}") };
            (snapshot, template.render())
        })
        .collect()
}

/// Fails once for every stack whose snapshot differed (insta has printed each diff).
#[doc(hidden)]
#[track_caller]
pub fn finish(stacks: usize, failed: &[String]) {
    assert!(stacks > 0, "assert_app_snapshots!: the app has no stacks");
    assert!(
        failed.is_empty(),
        "assert_app_snapshots!: {} of {stacks} stack snapshot(s) differ: {} (review the .snap.new files: `cargo insta review`)",
        failed.len(),
        failed.join(", ")
    );
}

/// Asserts an insta snapshot of every stack of an app: the exact bytes `synth` writes, one
/// `.snap` file per stack, so a pull request that changes infrastructure shows the change
/// as a snapshot diff.
///
/// - `assert_app_snapshots!(app)`: into `snapshots/<stack>.snap` of the crate whose test calls it
///   (its `CARGO_MANIFEST_DIR`).
/// - `assert_app_snapshots!(app, dir = PATH)`: into `PATH` (absolute, or relative to the test file
///   as insta reads it).
/// - `assert_app_snapshots!(app, dir = PATH, prefix = "name")`: named `name__<stack>.snap`.
///
/// Every stack is compared before the test fails, so one run writes every `.snap.new`.
/// `app` is an `App` or a reference to one.
///
/// # Panics
///
/// When the app has no stacks, or any snapshot differs (insta's rules: `INSTA_UPDATE`,
/// `cargo insta review`).
#[macro_export]
macro_rules! assert_app_snapshots {
    ($app:expr $(,)?) => {
        $crate::assert_app_snapshots!($app, dir = ::std::concat!(::std::env!("CARGO_MANIFEST_DIR"), "/snapshots"))
    };
    ($app:expr, dir = $dir:expr $(,)?) => {
        $crate::assert_app_snapshots!($app, dir = $dir, prefix = "")
    };
    ($app:expr, dir = $dir:expr, prefix = $prefix:expr $(,)?) => {
        // A `match` keeps a temporary app (`app().unwrap()`) alive for the whole block.
        match &$app { app => {
        let app: &$crate::__private::App = ::std::borrow::Borrow::borrow(app);
        let stacks = $crate::__private::stacks(app, $prefix);
        let mut failed = ::std::vec::Vec::new();
        for (name, text) in &stacks {
            let outcome = ::std::panic::catch_unwind(|| {
                $crate::__private::insta::with_settings!({
                    snapshot_path => $dir,
                    prepend_module_to_snapshot => false,
                    omit_expression => true,
                }, {
                    $crate::__private::insta::assert_snapshot!(name.as_str(), text.as_str());
                });
            });
            if outcome.is_err() {
                failed.push(name.clone());
            }
        }
        $crate::__private::finish(stacks.len(), &failed);
        }}
    };
}
