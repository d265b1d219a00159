//! SNS: the encrypted topic alarms and pipeline events notify people through.

mod topic;

pub use topic::{PUBLISH, Topic, TopicProps};
