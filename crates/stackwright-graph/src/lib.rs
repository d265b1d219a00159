//! Pictures of CloudFormation templates, apps and diffs, as Mermaid or Graphviz DOT text (and
//! SVG through Graphviz).
//!
//! - [`template_graph`]: a template's resources, grouped by construct path (nested
//!   subgraphs), with an edge for every `Ref`, `Fn::GetAtt`, `Fn::Sub` placeholder and
//!   `DependsOn`; coloured by service, shaped by kind; [`Options::depth`] draws a deeper
//!   construct as one node.
//! - [`app_graph`]: an app's stacks, with an edge from the stack that exports a name to each
//!   stack that imports it.
//! - [`diff_graph`] and [`diff_section`]: a diff's changed resources and their neighbours,
//!   styled by impact, replacement chains highlighted and labelled, broadening marked — and
//!   the Markdown section `diff --format markdown` adds, within GitHub's limits.
//! - [`mermaid::render`], [`dot::render`], [`svg::render`]: the formats. Output is
//!   deterministic: the same input gives the same bytes.
//!
//! ```
//! use stackwright_template::Template;
//! let t = Template::from_json_str(r#"{"Resources": {
//!     "Repo": {"Type": "AWS::ECR::Repository"},
//!     "Task": {"Type": "AWS::ECS::TaskDefinition", "Properties": {"X": {"Fn::GetAtt": ["Repo", "Arn"]}}}}}"#).unwrap();
//! let graph = stackwright_graph::template_graph("demo", &t, stackwright_graph::Options::default());
//! assert!(stackwright_graph::mermaid::render(&graph).contains("n0 --> n1"));
//! ```

mod app;
mod diff;
pub mod dot;
mod markdown;
pub mod mermaid;
pub mod model;
mod service;
pub mod svg;
mod template;
mod tree;

pub use app::{StackLinks, app_graph, app_graph_of};
pub use diff::{Stacks, diff_graph};
pub use markdown::{MAX_CHARS, MAX_EDGES, TITLE as DIFF_SECTION_TITLE, diff_section};
pub use model::{Edge, EdgeKind, Graph, Node, NodeKind, status_class};
pub use service::{Shape, service_of, shape_of};
pub use template::{Options, template_graph};
