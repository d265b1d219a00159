//! Log groups keep their events for a stated time, not forever.

use stackwright_template::Template;

use crate::finding::Finding;
use crate::json::{property, resources_of};

pub(crate) fn check(template: &Template, out: &mut Vec<Finding>) {
    for (id, group, at) in resources_of(template, "AWS::Logs::LogGroup") {
        if property(group, &["RetentionInDays"]).is_none() {
            let message = "RetentionInDays is unset, so CloudWatch keeps the events forever; expected a retention in days (e.g. 365)";
            out.push(Finding::new("logs/retention", at, message).about(id.as_str()));
        }
    }
}
