//! [`FlowLog`]: a VPC's traffic recorded to an encrypted CloudWatch Logs log group.

use stackwright_cfn::ec2;
use stackwright_cfn::ec2::flow_log::{FlowLogResourceType, LogDestinationType, TrafficType};
use stackwright_template::{LogicalId, ResourceRef, Value};

use crate::arn;
use crate::error::{Checks, Error};
use crate::iam::{Action, Grantee, Principal, Role, RoleProps, Statement};
use crate::kms::Key;
use crate::logs::{LogGroup, LogGroupProps, Retention};
use crate::path::ConstructPath;
use crate::stack::Stack;

/// What the flow log delivery may do with its log group.
const DELIVER: [Action; 3] = [
    Action::from_static("logs:CreateLogStream"),
    Action::from_static("logs:DescribeLogStreams"),
    Action::from_static("logs:PutLogEvents"),
];
const DESCRIBE_GROUPS: Action = Action::from_static("logs:DescribeLogGroups");

/// Which traffic a flow log records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum FlowLogTraffic {
    /// Accepted and rejected traffic.
    #[default]
    All,
    /// Only traffic the security groups and network ACLs accepted.
    Accepted,
    /// Only traffic they rejected.
    Rejected,
}

/// Properties of a [`FlowLog`].
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct FlowLogProps {
    /// **Default:** [`FlowLogTraffic::All`].
    pub traffic: FlowLogTraffic,
    /// How long the records are kept. **Default:** [`Retention::OneYear`].
    pub retention: Retention,
    /// Seconds over which packets are aggregated into one record: 60 or 600. **Default:** 600
    /// (the AWS default).
    pub aggregation_interval_seconds: u16,
}

impl Default for FlowLogProps {
    fn default() -> Self {
        Self { traffic: FlowLogTraffic::All, retention: Retention::OneYear, aggregation_interval_seconds: 600 }
    }
}

impl FlowLogProps {
    /// The defaults.
    pub fn new() -> Self {
        Self::default()
    }

    /// See [`FlowLogProps::traffic`].
    #[must_use]
    pub fn traffic(mut self, traffic: FlowLogTraffic) -> Self {
        self.traffic = traffic;
        self
    }

    /// See [`FlowLogProps::retention`].
    #[must_use]
    pub fn retention(mut self, retention: Retention) -> Self {
        self.retention = retention;
        self
    }

    /// See [`FlowLogProps::aggregation_interval_seconds`].
    #[must_use]
    pub fn aggregation_interval_seconds(mut self, seconds: u16) -> Self {
        self.aggregation_interval_seconds = seconds;
        self
    }
}

/// A VPC flow log delivered to a log group encrypted with `key`, through a role only the
/// flow-log service of this account may assume, which may write to that log group only.
#[derive(Debug, Clone)]
pub struct FlowLog {
    log_group: LogGroup,
    role: Role,
    resource: ResourceRef<ec2::FlowLog>,
}

impl FlowLog {
    /// Records the traffic of the VPC `vpc_id` at `path` (log group at `<path>/Logs`, role at
    /// `<path>/Role`).
    #[allow(clippy::needless_pass_by_value)] // by value, so builder chains end in the call
    pub fn new(
        stack: &mut Stack,
        path: impl Into<ConstructPath>,
        key: &Key,
        vpc_id: Value<String>,
        props: FlowLogProps,
    ) -> Result<Self, Error> {
        let path = path.into();
        let mut checks = Checks::new(&path);
        let interval = props.aggregation_interval_seconds;
        checks.require(matches!(interval, 60 | 600), "flow-log/aggregation-interval", || {
            format!("aggregation_interval_seconds must be 60 or 600, got {interval}")
        });
        stack.record(checks);

        let log_group = LogGroup::new(stack, path.child("Logs"), key, LogGroupProps::new().retention(props.retention))?;
        let role = Role::new(
            stack,
            path.child("Role"),
            RoleProps::new(Principal::service("vpc-flow-logs.amazonaws.com"))
                .description(format!("Delivers the flow log {path} to its log group")),
        )?;
        role.grant(stack, Statement::allow(DELIVER).on(log_group.arn()))?;
        // The delivery lists log groups to find its own; listing needs the account's groups.
        role.grant(stack, Statement::allow([DESCRIBE_GROUPS]).on(arn::regional("logs", "log-group:*")))?;
        let traffic = match props.traffic {
            FlowLogTraffic::All => TrafficType::All,
            FlowLogTraffic::Accepted => TrafficType::Accept,
            FlowLogTraffic::Rejected => TrafficType::Reject,
        };
        let resource = stack.add(
            &path,
            ec2::FlowLog::new(vpc_id, FlowLogResourceType::Vpc)
                .traffic_type(traffic)
                .log_destination_type(LogDestinationType::CloudWatchLogs)
                .log_group_name(log_group.name())
                .deliver_logs_permission_arn(role.arn())
                .max_aggregation_interval(i64::from(interval)),
        )?;
        Ok(Self { log_group, role, resource })
    }

    /// The log group the records go to.
    pub fn log_group(&self) -> &LogGroup {
        &self.log_group
    }

    /// The role the flow-log service delivers with.
    pub fn role(&self) -> &Role {
        &self.role
    }

    /// The flow log's logical ID.
    pub fn logical_id(&self) -> &LogicalId {
        self.resource.logical_id()
    }

    /// The L1 flow log: the escape hatch.
    pub fn resource(&self) -> &ResourceRef<ec2::FlowLog> {
        &self.resource
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kms::KeyProps;
    use serde_json::json;

    #[test]
    fn flow_logs_go_to_an_encrypted_group_through_a_scoped_role() {
        let mut stack = Stack::new("t").unwrap();
        let key = Key::new(&mut stack, "Key", KeyProps::new()).unwrap();
        FlowLog::new(
            &mut stack,
            ConstructPath::root("Net").child("FlowLog"),
            &key,
            "vpc-1".into(),
            FlowLogProps::new(),
        )
        .unwrap();
        let t = stack.finish().unwrap().into_template();
        let r = |id: &str| t.resources()[&LogicalId::new(id).unwrap()].properties.clone();
        let flow = r("NetFlowLog");
        assert_eq!(flow["TrafficType"], "ALL");
        assert_eq!(flow["LogDestinationType"], "cloud-watch-logs");
        assert_eq!(flow["LogGroupName"], json!({"Ref": "NetFlowLogLogs"}));
        assert_eq!(flow["DeliverLogsPermissionArn"], json!({"Fn::GetAtt": ["NetFlowLogRole", "Arn"]}));
        assert_eq!(r("NetFlowLogLogs")["KmsKeyId"], json!({"Fn::GetAtt": ["Key", "Arn"]}));
        let grants = &r("NetFlowLogRole")["Policies"][0]["PolicyDocument"]["Statement"];
        assert_eq!(grants[0]["Resource"], json!({"Fn::GetAtt": ["NetFlowLogLogs", "Arn"]}));
    }

    #[test]
    fn the_aggregation_interval_is_one_aws_accepts() {
        let mut stack = Stack::new("t").unwrap();
        let key = Key::new(&mut stack, "Key", KeyProps::new()).unwrap();
        let props = FlowLogProps::new().aggregation_interval_seconds(300);
        FlowLog::new(&mut stack, "Flow", &key, "vpc-1".into(), props).unwrap();
        let err = stack.finish().unwrap_err();
        assert_eq!(
            err.to_string(),
            "Flow: aggregation_interval_seconds must be 60 or 600, got 300 [flow-log/aggregation-interval]"
        );
    }
}
