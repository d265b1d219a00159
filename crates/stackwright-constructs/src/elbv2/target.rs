//! [`LoadBalancerTarget`]: what a service needs to register behind a load balancer.

use stackwright_template::{LogicalId, Value};

/// A load balancer's target group, seen from the service that registers in it.
///
/// The service opens its container port to `security_group_id` only, and lets the load
/// balancer's security group reach it (egress) — nothing wider.
#[derive(Debug, Clone, PartialEq)]
pub struct LoadBalancerTarget {
    /// The target group's ARN.
    pub target_group_arn: Value<String>,
    /// The target group's full name (`TargetGroupFullName`), the dimension of its metrics.
    pub target_group_full_name: Value<String>,
    /// The load balancer's full name (`LoadBalancerFullName`), the other metric dimension.
    pub load_balancer_full_name: Value<String>,
    /// The load balancer's security group.
    pub security_group_id: Value<String>,
    /// The logical ID of the load balancer's security group, which the service adds an egress
    /// rule to (as a separate `AWS::EC2::SecurityGroupEgress`, so neither group refers to the
    /// other and no cycle can form).
    pub security_group_logical_id: LogicalId,
    /// Listeners the service must be created after: ECS rejects a target group that no
    /// listener forwards to yet.
    pub listeners: Vec<LogicalId>,
}
