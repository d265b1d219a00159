//! A testing kit for Stackwright apps: assertions on synthesized templates, as AWS CDK's
//! `aws-cdk-lib/assertions` has them, snapshots of an app's stacks in the app's own crate,
//! and Stackwright's policy rules as a test.
//!
//! - [`Template`]: load a stack's template ([`Template::from_stack`],
//!   [`Template::from_app`]) or a file, JSON or YAML ([`Template::from_file`]), then assert:
//!   [`has_resource_properties`](Template::has_resource_properties),
//!   [`has_resource`](Template::has_resource),
//!   [`resource_count_is`](Template::resource_count_is),
//!   [`find_resources`](Template::find_resources), [`has_output`](Template::has_output),
//!   [`has_parameter`](Template::has_parameter), [`has_mapping`](Template::has_mapping)…
//!   Each assertion panics with a message that shows the closest candidate and marks where
//!   it differs; each has a `try_` form that returns the message instead.
//! - [`Match`]: the matchers ([`object_like`](Match::object_like), [`exact`](Match::exact),
//!   [`array_with`](Match::array_with), [`any_value`](Match::any_value),
//!   [`absent`](Match::absent), [`string_like_regex`](Match::string_like_regex),
//!   [`serialized_json`](Match::serialized_json), [`not`](Match::not)), [`Capture`] and the
//!   [`pattern!`] macro, which writes JSON with matchers inside it.
//! - [`assert_app_snapshots!`]: an insta snapshot of every stack, in the calling crate.
//! - [`assert_policy`]: `stackwright validate`'s errors and policy rules and the IAM hygiene
//!   check, as a test of the user's app.
//!
//! ```
//! use serde_json::json;
//! use stackwright_testing::{Match, Template, pattern};
//!
//! let template = Template::from_json(json!({"Resources": {"Service": {
//!     "Type": "AWS::ECS::Service",
//!     "Properties": {"DeploymentConfiguration": {
//!         "DeploymentCircuitBreaker": {"Enable": true, "Rollback": true},
//!         "MinimumHealthyPercent": 100}}}}}))?;
//! // "The service has a circuit breaker with rollback", whatever else it has.
//! template.has_resource_properties("AWS::ECS::Service", pattern!({
//!     "DeploymentConfiguration": {"DeploymentCircuitBreaker": {"Enable": true, "Rollback": true}},
//!     "LaunchType": Match::absent(),
//! }));
//! # Ok::<(), stackwright_testing::LoadError>(())
//! ```

mod annotate;
mod capture;
mod error;
mod example;
mod hygiene;
mod matcher;
mod outcome;
mod pattern;
mod policy;
mod report;
mod snapshot;
mod template;

pub use capture::Capture;
pub use error::{AssertionError, LoadError};
pub use example::assert_example;
pub use hygiene::assert_policy_hygiene;
pub use matcher::{Match, Matcher};
pub use policy::{assert_policy, check_policy};
/// `json!` and its value type, so a test needs no other dependency to write patterns.
pub use serde_json::{Value as Json, json};
pub use template::Template;

/// What the macros expand to; not part of the API.
#[doc(hidden)]
pub mod __private {
    pub use insta;
    pub use stackwright_template::App;

    pub use crate::snapshot::{finish, stacks};
}
