//! Offline, replacement-aware semantic diff of two CloudFormation templates.
//!
//! [`diff`] compares two parsed [`Template`]s section by section with semantic equality
//! (`10` equals `"10"`, both `Fn::GetAtt` forms are equal, `DependsOn` order is ignored) and
//! decides for every resource what CloudFormation will do ([`Impact`]): create, update,
//! replace (naming the create-only property or type change that forces it), may replace,
//! destroy or orphan. Replacements propagate along `Ref`, `Fn::GetAtt` and `Fn::Sub`
//! references, however deeply nested. Renamed logical IDs and data loss on stateful types
//! are flagged. IAM statement and security-group rule changes are listed, each marked
//! broadening or narrowing ([`security`]). [`diff_stacks`] compares sets of named stacks
//! (synth output directories). [`TemplateDiff::render_text`] and [`render_text_stacks`] print
//! the result for people, [`render_json`] as a versioned document (`docs/DIFF.md`),
//! [`render_markdown`] for pull-request comments. Template files, JSON or YAML, are read by
//! [`stackwright_template::read`].
//!
//! ```
//! use stackwright_template::Template;
//! let old = Template::from_json_str(r#"{"Resources": {"Repo": {"Type": "AWS::ECR::Repository",
//!     "Properties": {"RepositoryName": "a"}}}}"#).unwrap();
//! let new = Template::from_json_str(r#"{"Resources": {"Repo": {"Type": "AWS::ECR::Repository",
//!     "Properties": {"RepositoryName": "b"}}}}"#).unwrap();
//! let diff = stackwright_diff::diff(&old, &new);
//! assert_eq!(diff.worst_impact(), stackwright_diff::Impact::Replace);
//! assert!(diff.has_data_loss());
//! ```

mod counts;
mod deploy_time;
mod embrace;
pub mod equality;
mod exports;
mod impact;
mod inputs;
pub mod model;
mod references;
pub mod render;
mod replacement;
mod revision;
pub mod security;
mod spelling;
mod stacks;
mod template;

pub use counts::{Counts, Gate};
pub use embrace::{BlockedExport, blocked_exports};
pub use impact::STATEFUL_TYPES;
pub use model::{EntryChange, ExportChange, Impact, PropertyChange, Reason, ResourceChange, TemplateDiff, ValueChange};
pub use render::github::{AnnotatedFile, render_github};
pub use render::json::{SCHEMA_VERSION, render_json};
pub use render::markdown::{
    GITHUB_COMMENT_LIMIT, MarkdownOptions, MarkdownSection, render_markdown, render_markdown_with,
};
pub use render::{TextOptions, render_text_stacks};
pub use security::{
    Category, ChangeKind, Direction, Downgrade, IamChange, IamStatement, SecurityChanges, SgRule, SgRuleChange,
};
pub use stacks::{StackDiff, StackStatus, Unread, diff_stacks};
use stackwright_template::Template;

/// The semantic difference from `old` to `new`.
pub fn diff(old: &Template, new: &Template) -> TemplateDiff {
    let (old, new) = (template::sections(old), template::sections(new));
    let mut result = TemplateDiff::default();
    template::diff_sections(&old, &new, &mut result);
    let inputs = inputs::Inputs::new(&old, &new);
    let (resources, renames) =
        impact::resource_changes(template::section(&old, "Resources"), template::section(&new, "Resources"), &inputs);
    let mut value_changes = exports::export_value_changes(
        template::section(&old, "Outputs"),
        template::section(&new, "Outputs"),
        &resources,
        &inputs,
    );
    result.exports.append(&mut value_changes);
    result.exports.sort_by(|a, b| a.output.cmp(&b.output));
    // Last: propagation and export checks above read a revision as the replacement it is
    // to CloudFormation, with its certainty.
    let mut resources = resources;
    revision::apply(&mut resources);
    result.resources = resources;
    result.renames = renames;
    result.security = security::changes(template::section(&old, "Resources"), template::section(&new, "Resources"));
    result
}
