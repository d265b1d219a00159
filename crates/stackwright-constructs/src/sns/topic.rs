//! [`Topic`]: an SNS topic encrypted with the stack's key, which CloudWatch alarms may publish to.

use serde_json::json;
use stackwright_cfn::sns;
use stackwright_template::{LogicalId, ResourceRef, Value};

use crate::error::{Checks, Error};
use crate::iam::{Action, PolicyDocument, Principal, Statement};
use crate::kms::Key;
use crate::path::ConstructPath;
use crate::stack::{PolicySlot, Stack};

/// Publish to a topic.
pub const PUBLISH: Action = Action::from_static("sns:Publish");

/// What a service publishing to an encrypted topic needs from its key: SNS generates a data
/// key on the publisher's behalf and decrypts it. AWS documents `kms:GenerateDataKey*`; the
/// plain action is the one SNS calls, and wildcards are never written.
const PUBLISH_ENCRYPTED: [Action; 2] = [Action::from_static("kms:Decrypt"), Action::from_static("kms:GenerateDataKey")];

/// Properties of a [`Topic`].
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub struct TopicProps {
    /// The name shown in email notifications' sender. **Default:** none.
    pub display_name: Option<String>,
    /// Email addresses subscribed to the topic (each must confirm by email).
    /// **Default:** none.
    pub emails: Vec<String>,
}

impl TopicProps {
    /// The defaults.
    pub fn new() -> Self {
        Self::default()
    }

    /// See [`TopicProps::display_name`].
    #[must_use]
    pub fn display_name(mut self, name: impl Into<String>) -> Self {
        self.display_name = Some(name.into());
        self
    }

    /// Subscribes an email address, see [`TopicProps::emails`].
    #[must_use]
    pub fn email(mut self, address: impl Into<String>) -> Self {
        self.emails.push(address.into());
        self
    }
}

/// An SNS topic encrypted with a customer-managed key (checkov `CKV_AWS_26`; the AWS-managed
/// `alias/aws/sns` key would pass checkov, but CloudWatch cannot publish to a topic encrypted
/// with it).
///
/// Its policy (`AWS::SNS::TopicPolicy`) lets this account's CloudWatch alarms publish, denies
/// publishing without TLS, and grows with [`Topic::allow_publish_from`]; the key's policy lets
/// `cloudwatch.amazonaws.com` (and services given to [`Topic::allow_service_to_use_key`]) use it.
#[derive(Debug, Clone)]
pub struct Topic {
    path: ConstructPath,
    key: Key,
    resource: ResourceRef<sns::Topic>,
    policy: ResourceRef<sns::TopicPolicy>,
}

impl Topic {
    /// Adds the topic at `path`, encrypted with `key`.
    pub fn new(stack: &mut Stack, path: impl Into<ConstructPath>, key: &Key, props: TopicProps) -> Result<Self, Error> {
        let path = path.into();
        let mut checks = Checks::new(&path);
        for address in &props.emails {
            checks.require(valid_email(address), "sns-topic/email", || {
                format!("an email subscription needs an address like `name@example.com`, got {address:?}")
            });
        }
        if let Some(name) = &props.display_name {
            checks.require(!name.is_empty() && name.chars().count() <= 100, "sns-topic/display-name", || {
                format!("display_name must be 1-100 characters, got {} characters", name.chars().count())
            });
        }
        stack.record(checks);
        let mut topic = sns::Topic::new().kms_master_key_id(key.arn());
        if let Some(name) = props.display_name {
            topic = topic.display_name(name);
        }
        let resource = stack.add(&path, topic)?;
        // The document is written when the stack is finished, with every grant made by then.
        let policy = stack
            .add(&path.child("Policy"), sns::TopicPolicy::new(Value::Literal(json!({})), vec![resource.ref_()]))?;
        let alarms = Statement::allow([PUBLISH])
            .principal(Principal::service("cloudwatch.amazonaws.com"))
            .on(resource.ref_())
            .condition("StringEquals", "aws:SourceAccount", json!({"Ref": "AWS::AccountId"}))
            .sid("CloudWatchAlarmsPublish");
        let tls_only = Statement::deny([PUBLISH])
            .principal(Principal::Aws("*".into()))
            .on(resource.ref_())
            .condition("Bool", "aws:SecureTransport", false)
            .sid("DenyPublishWithoutTls");
        stack.register_policy(
            &path,
            policy.logical_id().clone(),
            PolicySlot::Property("PolicyDocument"),
            PolicyDocument::from_statements([alarms, tls_only]),
        );
        for (i, address) in props.emails.into_iter().enumerate() {
            stack.add(
                &path.child(format!("Email{}", i + 1)),
                sns::Subscription::new("email", resource.ref_()).endpoint(address),
            )?;
        }
        let topic = Self { path, key: key.clone(), resource, policy };
        topic.allow_service_to_use_key(stack, "cloudwatch.amazonaws.com")?;
        Ok(topic)
    }

    /// Lets `service` (e.g. `events.amazonaws.com`, `codestar-notifications.amazonaws.com`)
    /// use the topic's key, which it needs to publish to the encrypted topic.
    pub fn allow_service_to_use_key(&self, stack: &mut Stack, service: &str) -> Result<(), Error> {
        let sid = format!("{}PublishesTo{}", pascal(service), self.resource.logical_id());
        self.key.allow_service(stack, &sid, Principal::service(service), PUBLISH_ENCRYPTED, [])
    }

    /// Lets `service` publish to the topic, from `source_arn` only when given (e.g. an
    /// EventBridge rule's ARN), and always only for this account; also lets it use the key.
    pub fn allow_publish_from(
        &self,
        stack: &mut Stack,
        service: &str,
        source_arn: Option<Value<String>>,
    ) -> Result<(), Error> {
        let mut statement = Statement::allow([PUBLISH])
            .principal(Principal::service(service))
            .on(self.arn())
            .condition("StringEquals", "aws:SourceAccount", json!({"Ref": "AWS::AccountId"}))
            .sid(format!("{}Publishes", pascal(service)));
        if let Some(arn) = source_arn {
            statement = statement.condition("ArnEquals", "aws:SourceArn", arn.to_json());
        }
        stack.add_statement(self.policy.logical_id(), statement)?;
        self.allow_service_to_use_key(stack, service)
    }

    /// The topic's ARN (`Ref`).
    pub fn arn(&self) -> Value<String> {
        self.resource.ref_()
    }

    /// The topic's construct path.
    pub fn path(&self) -> &ConstructPath {
        &self.path
    }

    /// The topic's logical ID.
    pub fn logical_id(&self) -> &LogicalId {
        self.resource.logical_id()
    }

    /// The L1 topic: the escape hatch.
    pub fn resource(&self) -> &ResourceRef<sns::Topic> {
        &self.resource
    }

    /// The L1 topic policy.
    pub fn policy(&self) -> &ResourceRef<sns::TopicPolicy> {
        &self.policy
    }
}

/// `events.amazonaws.com` -> `Events`, `codestar-notifications.amazonaws.com` ->
/// `CodestarNotifications`: a statement id part (Sids are alphanumeric).
fn pascal(service: &str) -> String {
    let name = service.strip_suffix(".amazonaws.com").unwrap_or(service);
    name.split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| {
            let mut chars = w.chars();
            chars.next().map(|c| c.to_ascii_uppercase().to_string() + chars.as_str()).unwrap_or_default()
        })
        .collect()
}

fn valid_email(address: &str) -> bool {
    let Some((local, domain)) = address.split_once('@') else { return false };
    !local.is_empty()
        && address.len() <= 254
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !domain.contains('@')
        && !address.chars().any(|c| c.is_whitespace() || c.is_control())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kms::KeyProps;

    fn setup() -> (Stack, Key) {
        let mut stack = Stack::new("t").unwrap();
        let key = Key::new(&mut stack, "Key", KeyProps::new()).unwrap();
        (stack, key)
    }

    #[test]
    fn encrypted_cloudwatch_may_publish_tls_only() {
        let (mut stack, key) = setup();
        let topic = Topic::new(&mut stack, "Alerts", &key, TopicProps::new().email("ops@example.com")).unwrap();
        topic.allow_publish_from(&mut stack, "events.amazonaws.com", Some("arn:aws:events:r:1:rule/x".into())).unwrap();
        assert_eq!(topic.arn().to_json(), json!({"Ref": "Alerts"}));
        let json = stack.finish().unwrap().template().to_json();
        let r = &json["Resources"];
        assert_eq!(r["Alerts"]["Properties"]["KmsMasterKeyId"], json!({"Fn::GetAtt": ["Key", "Arn"]}));
        let statements = &r["AlertsPolicy"]["Properties"]["PolicyDocument"]["Statement"];
        assert_eq!(statements[0]["Principal"], json!({"Service": "cloudwatch.amazonaws.com"}));
        assert_eq!(
            statements[0]["Condition"],
            json!({"StringEquals": {"aws:SourceAccount": {"Ref": "AWS::AccountId"}}})
        );
        assert_eq!(statements[1]["Effect"], "Deny");
        assert_eq!(statements[1]["Condition"], json!({"Bool": {"aws:SecureTransport": false}}));
        assert_eq!(statements[2]["Sid"], "EventsPublishes");
        assert_eq!(statements[2]["Condition"]["ArnEquals"]["aws:SourceArn"], "arn:aws:events:r:1:rule/x");
        assert_eq!(r["AlertsPolicy"]["Properties"]["Topics"], json!([{"Ref": "Alerts"}]));
        let key_statements = &r["Key"]["Properties"]["KeyPolicy"]["Statement"];
        assert_eq!(key_statements[1]["Sid"], "CloudwatchPublishesToAlerts");
        assert_eq!(key_statements[1]["Action"], json!(["kms:Decrypt", "kms:GenerateDataKey"]));
        assert_eq!(key_statements[2]["Sid"], "EventsPublishesToAlerts");
        assert_eq!(
            r["AlertsEmail1"]["Properties"],
            json!({"Endpoint": "ops@example.com", "Protocol": "email", "TopicArn": {"Ref": "Alerts"}})
        );
        assert!(r["Alerts"]["Properties"].get("DisplayName").is_none());
    }

    #[test]
    fn emails_and_display_name_are_checked() {
        let (mut stack, key) = setup();
        let props = TopicProps::new().email("ops@example.com").email("not an email").email("a@b").display_name("");
        Topic::new(&mut stack, "Alerts", &key, props).unwrap();
        let err = stack.finish().unwrap_err();
        assert_eq!(
            err.to_string(),
            "Alerts: display_name must be 1-100 characters, got 0 characters [sns-topic/display-name]\n\
             Alerts: an email subscription needs an address like `name@example.com`, got \"a@b\" [sns-topic/email]\n\
             Alerts: an email subscription needs an address like `name@example.com`, got \"not an email\" [sns-topic/email]"
        );
    }

    #[test]
    fn sids_are_alphanumeric() {
        assert_eq!(pascal("codestar-notifications.amazonaws.com"), "CodestarNotifications");
        assert_eq!(pascal("events.amazonaws.com"), "Events");
    }
}
