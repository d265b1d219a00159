//! [`Foundation`]: the stack one environment's services share — a customer-managed key, a VPC,
//! an ECS cluster and an encrypted alarm topic — with each of them exported so the service
//! stacks run on it through `Fn::ImportValue` ([`Foundation::runtime`]).

use stackwright_template::fns;

use crate::ec2::{NatGateways, Networking, Vpc, VpcProps};
use crate::ecs::{Cluster, ClusterProps};
use crate::environment::Environment;
use crate::error::Error;
use crate::kms::{Key, KeyProps};
use crate::patterns::{AlarmTopicChoice, NetworkingChoice, SharedRuntime};
use crate::share::Shared;
use crate::sns::{Topic, TopicProps};
use crate::stack::Stack;

/// Properties of a [`Foundation`].
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct FoundationProps {
    /// The stack's part name: the stack is `<part>-<environment>`. **Default:** `foundation`.
    pub part: String,
    /// The stack's description. **Default:** none.
    pub description: Option<String>,
    /// The key's alias (`alias/platform-staging`). **Default:** none.
    pub key_alias: Option<String>,
    /// The VPC's NAT gateways. **Default:** [`NatGateways::OnePerAz`].
    pub nat_gateways: NatGateways,
    /// Addresses subscribed to the alarm topic. **Default:** none.
    pub alarm_emails: Vec<String>,
}

impl Default for FoundationProps {
    fn default() -> Self {
        Self {
            part: "foundation".into(),
            description: None,
            key_alias: None,
            nat_gateways: NatGateways::OnePerAz,
            alarm_emails: Vec::new(),
        }
    }
}

impl FoundationProps {
    /// The defaults.
    pub fn new() -> Self {
        Self::default()
    }

    /// See [`FoundationProps::part`].
    #[must_use]
    pub fn part(mut self, part: impl Into<String>) -> Self {
        self.part = part.into();
        self
    }

    /// See [`FoundationProps::description`].
    #[must_use]
    pub fn description(mut self, description: impl Into<String>) -> Self {
        self.description = Some(description.into());
        self
    }

    /// See [`FoundationProps::key_alias`].
    #[must_use]
    pub fn key_alias(mut self, alias: impl Into<String>) -> Self {
        self.key_alias = Some(alias.into());
        self
    }

    /// See [`FoundationProps::nat_gateways`].
    #[must_use]
    pub fn nat_gateways(mut self, nat: NatGateways) -> Self {
        self.nat_gateways = nat;
        self
    }

    /// Subscribes an address, see [`FoundationProps::alarm_emails`].
    #[must_use]
    pub fn alarm_email(mut self, address: impl Into<String>) -> Self {
        self.alarm_emails.push(address.into());
        self
    }
}

/// What a foundation exports, for the service stacks to import (export names are
/// `<stack>:<id>`: `foundation-staging:VpcId`).
#[derive(Debug, Clone)]
pub struct Foundation {
    /// The VPC's ID (`VpcId`).
    pub vpc_id: Shared,
    /// The private subnets, comma-separated (`PrivateSubnetIds`).
    pub private_subnets: Shared,
    /// The public subnets, comma-separated (`PublicSubnetIds`).
    pub public_subnets: Shared,
    /// The cluster's name (`ClusterName`).
    pub cluster_name: Shared,
    /// The cluster's ARN (`ClusterArn`).
    pub cluster_arn: Shared,
    /// The key's ARN (`KeyArn`).
    pub key_arn: Shared,
    /// The alarm topic's ARN (`AlarmTopicArn`).
    pub alarm_topic_arn: Shared,
}

impl Foundation {
    /// The foundation stack of `env` (`<part>-<environment>`, in its account and region) and
    /// its exports. Its logical IDs are `Key`, `Network…`, `Cluster` and `Alarms…`.
    pub fn stack(env: &Environment, props: &FoundationProps) -> Result<(Stack, Self), Error> {
        let mut stack = env.stack(&props.part)?;
        if let Some(description) = &props.description {
            stack = stack.with_description(description.clone());
        }
        let mut key_props = KeyProps::new();
        if let Some(alias) = &props.key_alias {
            key_props = key_props.alias(alias.clone());
        }
        let key = Key::new(&mut stack, "Key", key_props)?;
        let vpc = Vpc::new(&mut stack, "Network", &key, VpcProps::new().nat_gateways(props.nat_gateways))?;
        let cluster = Cluster::new(&mut stack, "Cluster", ClusterProps::new())?;
        let topic_props = props.alarm_emails.iter().fold(TopicProps::new(), |t, address| t.email(address.clone()));
        let topic = Topic::new(&mut stack, "Alarms", &key, topic_props)?;
        let networking = vpc.networking();
        let foundation = Self {
            vpc_id: stack.export("VpcId", networking.vpc_id.clone(), "The platform VPC")?,
            private_subnets: stack.export(
                "PrivateSubnetIds",
                fns::join(",", networking.private_subnets.clone()),
                "The private subnets, comma-separated",
            )?,
            public_subnets: stack.export(
                "PublicSubnetIds",
                fns::join(",", networking.public_subnets.clone()),
                "The public subnets, comma-separated",
            )?,
            cluster_name: stack.export("ClusterName", cluster.name(), "The shared ECS cluster's name")?,
            cluster_arn: stack.export("ClusterArn", cluster.arn(), "The shared ECS cluster's ARN")?,
            key_arn: stack.export("KeyArn", key.arn(), "The platform key")?,
            alarm_topic_arn: stack.export("AlarmTopicArn", topic.arn(), "The platform alarm topic")?,
        };
        Ok((stack, foundation))
    }

    /// The foundation's network and cluster imported into `stack`, for a service pattern's
    /// `networking` ([`NetworkingChoice::Shared`]); the cluster's construct id is `Cluster`.
    pub fn runtime(&self, stack: &mut Stack) -> Result<NetworkingChoice, Error> {
        let networking = Networking {
            vpc_id: stack.import(&self.vpc_id)?,
            private_subnets: stack.import_list(&self.private_subnets)?,
            public_subnets: stack.import_list(&self.public_subnets)?,
            public_ready: Vec::new(),
            private_ready: Vec::new(),
        };
        let cluster = Cluster::shared("Cluster", stack.import(&self.cluster_name)?, stack.import(&self.cluster_arn)?);
        Ok(NetworkingChoice::Shared(Box::new(SharedRuntime { networking, cluster })))
    }

    /// The foundation's alarm topic, for a service pattern's `alarm_topic`: the service stack
    /// imports its ARN (`AlarmTopicArn`) and creates no topic. The topic's policy already lets
    /// CloudWatch alarms of the foundation's account publish (`aws:SourceAccount`), and its
    /// key's policy lets `cloudwatch.amazonaws.com` use the key ([`Topic::new`]), whichever stack
    /// of the account the alarms are in; a stack of another account or region cannot import it
    /// (rule `share/placement`).
    pub fn alarm_topic(&self) -> AlarmTopicChoice {
        AlarmTopicChoice::Shared(self.alarm_topic_arn.clone())
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::{Foundation, FoundationProps};
    use crate::ecs::{ContainerDefinition, ContainerImage};
    use crate::environment::Environment;
    use crate::kms::{Key, KeyProps};
    use crate::patterns::{AlarmTopic, LoadBalancedService, LoadBalancedServiceProps};
    use crate::stack::Stack;

    #[test]
    fn the_defaults_name_the_stack_foundation_and_export_every_shared_part() {
        let env = Environment::new("staging").unwrap().account("111111111111").unwrap().region("eu-west-1").unwrap();
        let (stack, foundation) = Foundation::stack(&env, &FoundationProps::new()).unwrap();
        assert_eq!(stack.name().as_str(), "foundation-staging");
        assert_eq!(foundation.cluster_arn.name(), "foundation-staging:ClusterArn");
        let json: serde_json::Value = serde_json::from_str(&stack.finish().unwrap().template().render()).unwrap();
        let outputs: Vec<&String> = json["Outputs"].as_object().unwrap().keys().collect();
        assert_eq!(
            outputs,
            ["AlarmTopicArn", "ClusterArn", "ClusterName", "KeyArn", "PrivateSubnetIds", "PublicSubnetIds", "VpcId"]
        );
        // One NAT gateway per zone by default; no alias, no subscriber.
        assert!(json["Resources"]["NetworkNatGateway2"].is_object());
        assert!(!json["Resources"].as_object().unwrap().values().any(|r| r["Type"] == "AWS::KMS::Alias"));
        assert!(!json["Resources"].as_object().unwrap().values().any(|r| r["Type"] == "AWS::SNS::Subscription"));
    }

    #[test]
    fn a_service_stack_imports_the_network_and_cluster() {
        let env = Environment::new("prod").unwrap();
        let (_, foundation) = Foundation::stack(&env, &FoundationProps::new().part("base")).unwrap();
        let mut service = env.stack("web").unwrap();
        let crate::patterns::NetworkingChoice::Shared(shared) = foundation.runtime(&mut service).unwrap() else {
            panic!("not shared");
        };
        assert_eq!(shared.networking.vpc_id.to_json(), json!({"Fn::ImportValue": "base-prod:VpcId"}));
    }

    fn staging() -> Environment {
        Environment::new("staging").unwrap().account("111111111111").unwrap().region("eu-west-1").unwrap()
    }

    fn web(stack: &mut Stack, foundation: &Foundation) -> LoadBalancedServiceProps {
        let container = ContainerDefinition::new("web", ContainerImage::Literal("nginx:1".into())).port(8080);
        LoadBalancedServiceProps::new(container)
            .alarm_topic(foundation.alarm_topic())
            .networking(foundation.runtime(stack).unwrap())
    }

    #[test]
    fn a_service_on_the_shared_topic_imports_it_and_creates_no_topic() {
        let env = staging();
        let (foundation_stack, foundation) = Foundation::stack(&env, &FoundationProps::new()).unwrap();
        let mut stack = env.stack("web").unwrap();
        let key = Key::new(&mut stack, "Key", KeyProps::new()).unwrap();
        let props = web(&mut stack, &foundation);
        let web = LoadBalancedService::new(&mut stack, "Web", &key, props).unwrap();
        let import = json!({"Fn::ImportValue": "foundation-staging:AlarmTopicArn"});
        assert!(matches!(&web.topic, AlarmTopic::Shared(arn) if arn.to_json() == import));
        assert!(web.topic.own().is_none());
        let app = Stack::finish_all([stack, foundation_stack]).unwrap();
        let json = app.finished_stack("web-staging").unwrap().to_json();
        let resources = json["Resources"].as_object().unwrap();
        assert!(!resources.values().any(|r| r["Type"].as_str().is_some_and(|t| t.starts_with("AWS::SNS::"))));
        let alarms: Vec<_> = resources.values().filter(|r| r["Type"] == "AWS::CloudWatch::Alarm").collect();
        assert_eq!(alarms.len(), 5);
        for alarm in alarms {
            assert_eq!(alarm["Properties"]["AlarmActions"], json!([import]));
            assert_eq!(alarm["Properties"]["OKActions"], json!([import]));
        }
        // The foundation outputs the topic; repeating an import would say nothing.
        assert!(json["Outputs"].get("WebAlarmTopicArn").is_none());
        assert!(json["Outputs"].get("WebUrl").is_some());
        // The service's key grants CloudWatch nothing: it encrypts no topic.
        let key_policy = json["Resources"]["Key"]["Properties"]["KeyPolicy"].to_string();
        assert!(!key_policy.contains("cloudwatch.amazonaws.com"), "{key_policy}");
    }

    #[test]
    fn the_foundations_topic_and_key_let_the_accounts_alarms_publish() {
        let (stack, _) = Foundation::stack(&staging(), &FoundationProps::new()).unwrap();
        let json = stack.finish().unwrap().template().to_json();
        let topic = &json["Resources"]["AlarmsPolicy"]["Properties"]["PolicyDocument"]["Statement"][0];
        assert_eq!(topic["Principal"], json!({"Service": "cloudwatch.amazonaws.com"}));
        assert_eq!(topic["Action"], "sns:Publish");
        assert_eq!(topic["Condition"], json!({"StringEquals": {"aws:SourceAccount": {"Ref": "AWS::AccountId"}}}));
        let key = json["Resources"]["Key"]["Properties"]["KeyPolicy"]["Statement"].as_array().unwrap();
        let cloudwatch = key.iter().find(|s| s["Sid"] == "CloudwatchPublishesToAlarms").unwrap();
        assert_eq!(cloudwatch["Principal"], json!({"Service": "cloudwatch.amazonaws.com"}));
        assert_eq!(cloudwatch["Action"], json!(["kms:Decrypt", "kms:GenerateDataKey"]));
    }

    #[test]
    fn emails_with_the_shared_topic_are_refused() {
        let env = staging();
        let (_, foundation) = Foundation::stack(&env, &FoundationProps::new()).unwrap();
        let mut stack = env.stack("web").unwrap();
        let key = Key::new(&mut stack, "Key", KeyProps::new()).unwrap();
        let props = web(&mut stack, &foundation).alarm_email("web-oncall@example.com");
        let err = LoadBalancedService::new(&mut stack, "Web", &key, props).unwrap_err().to_string();
        assert_eq!(
            err,
            "Web: LoadBalancedServiceProps::alarm_emails (web-oncall@example.com) would subscribe the service's own \
             topic, but the alarms publish to the shared topic foundation-staging:AlarmTopicArn: subscribe the \
             addresses where that topic is made [pattern/shared-topic-emails]"
        );
    }

    #[test]
    fn a_topic_of_another_account_is_refused() {
        let (_, foundation) = Foundation::stack(&staging(), &FoundationProps::new()).unwrap();
        let production =
            Environment::new("production").unwrap().account("222222222222").unwrap().region("eu-west-1").unwrap();
        let mut stack = production.stack("web").unwrap();
        let key = Key::new(&mut stack, "Key", KeyProps::new()).unwrap();
        let container = ContainerDefinition::new("web", ContainerImage::Literal("nginx:1".into())).port(8080);
        let props = LoadBalancedServiceProps::new(container).alarm_topic(foundation.alarm_topic());
        let err = LoadBalancedService::new(&mut stack, "Web", &key, props).unwrap_err().to_string();
        assert!(err.contains("cannot import from stack foundation-staging"), "{err}");
        assert!(err.ends_with("[share/placement]"), "{err}");
    }
}
