//! CloudWatch Logs: encrypted log groups with typed retention.

mod log_group;
mod retention;

pub use log_group::{LogGroup, LogGroupProps, WRITE};
pub use retention::Retention;
