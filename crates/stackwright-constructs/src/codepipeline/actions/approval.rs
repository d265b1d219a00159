//! [`ManualApproval`]: a person approves before the pipeline goes on.

use serde_json::{Value as Json, json};
use stackwright_template::Value;

use super::configuration;
use crate::error::{Checks, Error};
use crate::iam::{Action, Grantee, Role, Statement};
use crate::stack::Stack;

const PUBLISH: Action = Action::from_static("sns:Publish");

/// A manual approval, optionally announced on an SNS topic.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct ManualApproval {
    /// **Default:** `Approve`.
    pub name: String,
    /// The topic reviewers are notified on; the pipeline may publish to it. **Default:** none.
    pub topic_arn: Option<Value<String>>,
    /// What the reviewer is asked, at most 500 characters. **Default:** none.
    pub message: Option<String>,
    /// An `https://` link to what is reviewed (a diff, a staging URL). **Default:** none.
    pub review_url: Option<String>,
    /// **Default:** 1.
    pub run_order: u32,
}

impl Default for ManualApproval {
    fn default() -> Self {
        Self { name: "Approve".into(), topic_arn: None, message: None, review_url: None, run_order: 1 }
    }
}

impl ManualApproval {
    /// An approval with the defaults.
    pub fn new() -> Self {
        Self::default()
    }

    /// See [`ManualApproval::name`].
    #[must_use]
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.name = name.into();
        self
    }

    /// See [`ManualApproval::topic_arn`].
    #[must_use]
    pub fn notify(mut self, topic_arn: impl Into<Value<String>>) -> Self {
        self.topic_arn = Some(topic_arn.into());
        self
    }

    /// See [`ManualApproval::message`].
    #[must_use]
    pub fn message(mut self, text: impl Into<String>) -> Self {
        self.message = Some(text.into());
        self
    }

    /// See [`ManualApproval::review_url`].
    #[must_use]
    pub fn review_url(mut self, url: impl Into<String>) -> Self {
        self.review_url = Some(url.into());
        self
    }

    /// See [`ManualApproval::run_order`].
    #[must_use]
    pub fn run_order(mut self, order: u32) -> Self {
        self.run_order = order;
        self
    }

    pub(crate) fn check(&self, checks: &mut Checks) {
        if let Some(text) = &self.message {
            checks.require(text.chars().count() <= 500, "approval/message-length", || {
                format!("action {}: message must be at most 500 characters, got {}", self.name, text.chars().count())
            });
        }
        if let Some(url) = &self.review_url {
            checks.require(
                url.starts_with("https://") && url.len() > 8 && url.len() <= 2048,
                "approval/review-url",
                || {
                    format!(
                        "action {}: review_url must be an https:// URL of at most 2048 characters, got {url:?}",
                        self.name
                    )
                },
            );
        }
    }

    pub(crate) fn grant(&self, stack: &mut Stack, role: &Role) -> Result<(), Error> {
        match &self.topic_arn {
            Some(topic) => role.grant(stack, Statement::allow([PUBLISH]).on(topic.clone())),
            None => Ok(()),
        }
    }

    pub(crate) fn configuration(&self) -> Option<Json> {
        let mut entries = Vec::new();
        if let Some(text) = &self.message {
            entries.push(("CustomData", json!(text)));
        }
        if let Some(url) = &self.review_url {
            entries.push(("ExternalEntityLink", json!(url)));
        }
        if let Some(topic) = &self.topic_arn {
            entries.push(("NotificationArn", topic.to_json()));
        }
        configuration(entries)
    }
}
