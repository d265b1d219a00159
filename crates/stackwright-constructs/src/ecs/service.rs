//! [`FargateService`]: a Fargate service in private subnets that rolls out new revisions
//! without losing capacity and rolls back by itself.

use stackwright_cfn::applicationautoscaling::scalable_target::{ScalableDimension, ServiceNamespace};
use stackwright_cfn::applicationautoscaling::scaling_policy::{
    PolicyType, PredefinedMetricSpecification, PredefinedMetricType, TargetTrackingScalingPolicyConfiguration,
};
use stackwright_cfn::applicationautoscaling::{ScalableTarget, ScalingPolicy};
use stackwright_cfn::ec2;
use stackwright_cfn::ecs;
use stackwright_cfn::ecs::service as l1;
use stackwright_template::{LogicalId, ResourceOptions, ResourceRef, Value, fns};

use crate::ec2::{Peer, SecurityGroup, SecurityGroupProps, TcpRule};
use crate::ecs::{DeploymentController, FargateServiceProps};
use crate::error::Error;
use crate::iam::{Action, Grantee, Statement};
use crate::path::ConstructPath;
use crate::stack::Stack;

/// What the ECS Exec agent in a task does: open Session Manager channels.
const EXEC: [Action; 4] = [
    Action::from_static("ssmmessages:CreateControlChannel"),
    Action::from_static("ssmmessages:CreateDataChannel"),
    Action::from_static("ssmmessages:OpenControlChannel"),
    Action::from_static("ssmmessages:OpenDataChannel"),
];

/// A Fargate service: rolling deployments with circuit breaker and alarm rollback, awsvpc
/// networking with its own security group, optionally behind a load balancer and autoscaled.
///
/// **Security group.** No ingress, except the container port from the load balancer's group
/// when there is one. Egress: TCP 443 to `0.0.0.0/0` only. Starting a task means reaching ECR
/// (API and registry), S3 (image layers), CloudWatch Logs and, with secrets, SSM or Secrets
/// Manager — all HTTPS. Through a NAT gateway those are public addresses; through interface
/// VPC endpoints they are addresses in the VPC; through the S3 gateway endpoint they are a
/// prefix list. 443 to anywhere is the narrowest single rule that works in all three setups;
/// all other ports stay closed (CDK's default is all traffic to anywhere).
#[derive(Debug, Clone)]
pub struct FargateService {
    path: ConstructPath,
    resource: ResourceRef<ecs::Service>,
    cluster_name: Value<String>,
    security_group: SecurityGroup,
    scalable_target: Option<ResourceRef<ScalableTarget>>,
    scaling_policies: Vec<ResourceRef<ScalingPolicy>>,
}

impl FargateService {
    /// Adds the service at `path`, its security group at `<path>/SecurityGroup`.
    pub fn new(stack: &mut Stack, path: impl Into<ConstructPath>, props: FargateServiceProps) -> Result<Self, Error> {
        let path = path.into();
        stack.record(props.check(&path));
        let target_port = props.target_port();
        let security_group = SecurityGroup::new(
            stack,
            path.child("SecurityGroup"),
            props.networking.vpc_id.clone(),
            SecurityGroupProps::new(format!("Tasks of {path}")),
        )?;
        // The first tasks need their network rules: the service waits for them.
        let mut rules = vec![security_group.allow_egress(
            stack,
            "Https",
            TcpRule::new(
                Peer::cidr("0.0.0.0/0"),
                443,
                "HTTPS to ECR, S3, CloudWatch Logs and secrets, through NAT or VPC endpoints",
            ),
        )?];

        let controller = match props.deployment_controller {
            DeploymentController::Ecs => l1::Type::Ecs,
            DeploymentController::CodeDeploy => l1::Type::CodeDeploy,
            DeploymentController::External => l1::Type::External,
        };
        let mut deployment = l1::DeploymentConfiguration::new()
            .minimum_healthy_percent(props.minimum_healthy_percent)
            .maximum_percent(props.maximum_percent);
        if props.deployment_controller == DeploymentController::Ecs {
            // Written even when off: ECS keeps a setting an update leaves out, so turning one
            // off takes an explicit `Enable: false`.
            let alarms = !props.deployment_alarms.is_empty();
            deployment = deployment
                .deployment_circuit_breaker(l1::DeploymentCircuitBreaker::new(
                    props.circuit_breaker,
                    props.circuit_breaker,
                ))
                .alarms(l1::DeploymentAlarms::new(props.deployment_alarms, alarms, alarms));
        }
        let public_ip = if props.assign_public_ip { l1::AssignPublicIp::Enabled } else { l1::AssignPublicIp::Disabled };
        let mut service = ecs::Service::new()
            .cluster(props.cluster.arn())
            .task_definition(props.task_definition.arn())
            .launch_type(l1::LaunchType::Fargate)
            .platform_version("LATEST")
            .desired_count(props.desired_count)
            .deployment_configuration(deployment)
            .deployment_controller(l1::DeploymentController::new().r#type(controller))
            .network_configuration(
                l1::NetworkConfiguration::new().awsvpc_configuration(
                    l1::AwsVpcConfiguration::new()
                        .assign_public_ip(public_ip)
                        .security_groups([security_group.id()])
                        .subnets(props.networking.private_subnets.clone()),
                ),
            )
            .enable_execute_command(props.enable_execute_command)
            .enable_ecs_managed_tags(true)
            .propagate_tags(l1::ServicePropagateTags::Service);

        let listeners: Vec<LogicalId> = props.load_balancer.iter().flat_map(|t| t.listeners.clone()).collect();
        if let (Some(target), Some(port)) = (props.load_balancer, target_port) {
            service = service
                .load_balancers([l1::LoadBalancer::new()
                    .container_name(props.task_definition.container_name())
                    .container_port(port)
                    .target_group_arn(target.target_group_arn)])
                .health_check_grace_period_seconds(props.health_check_grace_period_seconds.unwrap_or(60));
            // Separate rule resources, so neither group's definition refers to the other.
            rules.push(security_group.allow_ingress(
                stack,
                "FromLoadBalancer",
                TcpRule::new(
                    Peer::security_group(target.security_group_id.clone()),
                    port,
                    format!("Container port {port} from the load balancer"),
                ),
            )?);
            stack.add(
                &path.child("LoadBalancerEgress"),
                ec2::SecurityGroupEgress::new(target.security_group_id.clone(), "tcp")
                    .destination_security_group_id(security_group.id())
                    .from_port(port)
                    .to_port(port)
                    .description(format!("Load balancer to the tasks of {path} on port {port}")),
            )?;
        }
        let mut depends_on: Vec<&LogicalId> = Vec::new();
        let routes = props.networking.private_ready.iter();
        for id in props
            .task_definition
            .volume_dependencies()
            .iter()
            .chain(&props.depends_on)
            .chain(&listeners)
            .chain(routes)
            .chain(&rules)
        {
            if !depends_on.contains(&id) {
                depends_on.push(id);
            }
        }
        let options = depends_on.into_iter().fold(ResourceOptions::new(), ResourceOptions::depends_on);
        let resource = stack.add_with(&path, service, options)?;
        if props.enable_execute_command {
            // The ssmmessages actions have no resource type: IAM only accepts "*" for them.
            props.task_definition.task_role().grant(stack, Statement::allow(EXEC).on_all_resources())?;
        }

        let mut this = Self {
            path: path.clone(),
            resource,
            cluster_name: props.cluster.name(),
            security_group,
            scalable_target: None,
            scaling_policies: Vec::new(),
        };
        if let Some(scaling) = &props.autoscaling {
            // No RoleARN: Application Auto Scaling uses its service-linked role for ECS
            // (AWSServiceRoleForApplicationAutoScaling_ECSService), created on first use.
            let target = stack.add(
                &path.child("ScalableTarget"),
                ScalableTarget::new(
                    scaling.max_capacity,
                    scaling.min_capacity,
                    fns::sub_with(
                        "service/${Cluster}/${Service}",
                        [("Cluster", this.cluster_name.clone()), ("Service", this.service_name())],
                    ),
                    ScalableDimension::EcsServiceDesiredCount,
                    ServiceNamespace::Ecs,
                ),
            )?;
            for (name, percent, metric) in [
                ("Cpu", scaling.cpu_target_percent, PredefinedMetricType::EcsServiceAverageCpuUtilization),
                ("Memory", scaling.memory_target_percent, PredefinedMetricType::EcsServiceAverageMemoryUtilization),
            ] {
                let Some(percent) = percent else { continue };
                let policy = stack.add(
                    &path.child(format!("{name}Scaling")),
                    ScalingPolicy::new(format!("{name}TargetTracking"), PolicyType::TargetTrackingScaling)
                        .scaling_target_id(target.ref_())
                        .target_tracking_scaling_policy_configuration(
                            TargetTrackingScalingPolicyConfiguration::new(f64::from(percent))
                                .predefined_metric_specification(PredefinedMetricSpecification::new(metric))
                                .scale_in_cooldown(scaling.scale_in_cooldown_seconds)
                                .scale_out_cooldown(scaling.scale_out_cooldown_seconds),
                        ),
                )?;
                this.scaling_policies.push(policy);
            }
            this.scalable_target = Some(target);
        }
        Ok(this)
    }

    /// The service's name (`Fn::GetAtt Name`), e.g. for the `ServiceName` metric dimension.
    pub fn service_name(&self) -> Value<String> {
        self.resource.name()
    }

    /// The name of the cluster the service runs in.
    pub fn cluster_name(&self) -> Value<String> {
        self.cluster_name.clone()
    }

    /// The tasks' security group.
    pub fn security_group_id(&self) -> Value<String> {
        self.security_group.id()
    }

    /// The service's ARN.
    pub fn arn(&self) -> Value<String> {
        self.resource.service_arn()
    }

    /// `Ref` to the service (its ARN).
    pub fn ref_(&self) -> Value<String> {
        self.resource.ref_()
    }

    /// The service's construct path.
    pub fn path(&self) -> &ConstructPath {
        &self.path
    }

    /// The L1 service: the escape hatch.
    pub fn resource(&self) -> &ResourceRef<ecs::Service> {
        &self.resource
    }

    /// The tasks' security group: add rules with its `allow_ingress` / `allow_egress`.
    pub fn security_group(&self) -> &SecurityGroup {
        &self.security_group
    }

    /// The autoscaling target, when autoscaling is on.
    pub fn scalable_target(&self) -> Option<&ResourceRef<ScalableTarget>> {
        self.scalable_target.as_ref()
    }

    /// The target-tracking policies (CPU first, then memory), when autoscaling is on.
    pub fn scaling_policies(&self) -> &[ResourceRef<ScalingPolicy>] {
        &self.scaling_policies
    }
}
