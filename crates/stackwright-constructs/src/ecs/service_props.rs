//! [`FargateServiceProps`] and their rules.

use stackwright_template::{LogicalId, Value};

use crate::ec2::Networking;
use crate::ecs::{Cluster, FargateTaskDefinition};
use crate::elbv2::LoadBalancerTarget;
use crate::error::Checks;
use crate::path::ConstructPath;

/// Who rolls out a new task definition.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum DeploymentController {
    /// ECS's rolling update, with circuit breaker and alarm rollback.
    #[default]
    Ecs,
    /// Blue/green through `CodeDeploy`: no circuit breaker, no deployment alarms.
    CodeDeploy,
    /// A third-party controller, which takes the task definition, networking and load
    /// balancers from task sets. This construct creates no task sets, so it refuses this
    /// controller (rule `ecs-service/external-controller`); it is modelled so the refusal is
    /// an explicit, tested error rather than a template CloudFormation rejects.
    External,
}

/// Target-tracking autoscaling of the service's task count.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Autoscaling {
    /// Fewest tasks. **Required.**
    pub min_capacity: u32,
    /// Most tasks. **Required.**
    pub max_capacity: u32,
    /// Average CPU utilization to hold, 1 to 100 %. **Default:** none.
    pub cpu_target_percent: Option<u32>,
    /// Average memory utilization to hold, 1 to 100 %. **Default:** none.
    pub memory_target_percent: Option<u32>,
    /// Seconds between scale-in activities. **Default:** 300 (slow in, to ride out dips).
    pub scale_in_cooldown_seconds: u32,
    /// Seconds between scale-out activities. **Default:** 60 (fast out, to absorb load).
    pub scale_out_cooldown_seconds: u32,
}

impl Autoscaling {
    /// Between `min_capacity` and `max_capacity` tasks; add a CPU and/or memory target.
    pub fn new(min_capacity: u32, max_capacity: u32) -> Self {
        Self {
            min_capacity,
            max_capacity,
            cpu_target_percent: None,
            memory_target_percent: None,
            scale_in_cooldown_seconds: 300,
            scale_out_cooldown_seconds: 60,
        }
    }

    /// See [`Autoscaling::cpu_target_percent`].
    #[must_use]
    pub fn cpu_target_percent(mut self, percent: u32) -> Self {
        self.cpu_target_percent = Some(percent);
        self
    }

    /// See [`Autoscaling::memory_target_percent`].
    #[must_use]
    pub fn memory_target_percent(mut self, percent: u32) -> Self {
        self.memory_target_percent = Some(percent);
        self
    }

    /// See [`Autoscaling::scale_in_cooldown_seconds`].
    #[must_use]
    pub fn scale_in_cooldown_seconds(mut self, seconds: u32) -> Self {
        self.scale_in_cooldown_seconds = seconds;
        self
    }

    /// See [`Autoscaling::scale_out_cooldown_seconds`].
    #[must_use]
    pub fn scale_out_cooldown_seconds(mut self, seconds: u32) -> Self {
        self.scale_out_cooldown_seconds = seconds;
        self
    }
}

/// Properties of a [`crate::ecs::FargateService`].
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct FargateServiceProps<'a> {
    /// The cluster the service runs in. **Required.**
    pub cluster: &'a Cluster,
    /// The task the service runs. **Required.**
    pub task_definition: &'a FargateTaskDefinition,
    /// Where tasks run: `private_subnets`, in `vpc_id`. **Required.**
    pub networking: &'a Networking,
    /// Tasks to run. **Default:** 2 (one task is an outage whenever it is replaced).
    pub desired_count: u32,
    /// Percent of `desired_count` that must stay running during a deployment.
    /// **Default:** 100 (CDK: 50): new tasks start before old ones stop, so a deployment never
    /// lowers capacity; `maximum_percent` 200 gives the room to do it.
    pub minimum_healthy_percent: u32,
    /// Percent of `desired_count` that may run during a deployment. **Default:** 200 (as CDK).
    pub maximum_percent: u32,
    /// The deployment circuit breaker, with rollback: a deployment whose tasks keep failing is
    /// stopped and the previous revision restored. **Default:** `true` (CDK: off).
    pub circuit_breaker: bool,
    /// CloudWatch alarm names whose `ALARM` state rolls a deployment back. **Default:** none.
    ///
    /// Names, not alarm resources: the alarms are created elsewhere with deterministic names,
    /// and since the service never refers to an alarm resource, alarms that watch the service
    /// (and refer to it) cannot form a dependency cycle with it.
    pub deployment_alarms: Vec<Value<String>>,
    /// **Default:** [`DeploymentController::Ecs`].
    pub deployment_controller: DeploymentController,
    /// Gives tasks public IPs. **Default:** `false` (tasks run in private subnets and reach AWS
    /// through NAT or VPC endpoints).
    pub assign_public_ip: bool,
    /// The target group the main container registers in. **Default:** none.
    pub load_balancer: Option<LoadBalancerTarget>,
    /// The port registered in the target group. **Default:** the main container's first port.
    pub load_balancer_port: Option<u16>,
    /// Seconds ECS ignores failing load balancer health checks after a task starts.
    /// **Default:** 60 with a load balancer (CDK: unset, i.e. 0), none without one.
    pub health_check_grace_period_seconds: Option<u32>,
    /// **Default:** none: `desired_count` tasks, always.
    pub autoscaling: Option<Autoscaling>,
    /// ECS Exec (a shell into running tasks). When on, the task role may open Session Manager
    /// channels, and every container needs a writable root filesystem (the agent ECS Exec
    /// injects writes into it). **Default:** `false`.
    pub enable_execute_command: bool,
    /// Further resources the service must be created after. **Default:** the task definition's
    /// EFS mount targets (and, with a load balancer, its listeners).
    pub depends_on: Vec<LogicalId>,
}

impl<'a> FargateServiceProps<'a> {
    /// A service running `task_definition` in `cluster`, in `networking`'s private subnets.
    pub fn new(cluster: &'a Cluster, task_definition: &'a FargateTaskDefinition, networking: &'a Networking) -> Self {
        Self {
            cluster,
            task_definition,
            networking,
            desired_count: 2,
            minimum_healthy_percent: 100,
            maximum_percent: 200,
            circuit_breaker: true,
            deployment_alarms: Vec::new(),
            deployment_controller: DeploymentController::Ecs,
            assign_public_ip: false,
            load_balancer: None,
            load_balancer_port: None,
            health_check_grace_period_seconds: None,
            autoscaling: None,
            enable_execute_command: false,
            depends_on: Vec::new(),
        }
    }

    /// See [`FargateServiceProps::desired_count`].
    #[must_use]
    pub fn desired_count(mut self, count: u32) -> Self {
        self.desired_count = count;
        self
    }

    /// See [`FargateServiceProps::minimum_healthy_percent`].
    #[must_use]
    pub fn minimum_healthy_percent(mut self, percent: u32) -> Self {
        self.minimum_healthy_percent = percent;
        self
    }

    /// See [`FargateServiceProps::maximum_percent`].
    #[must_use]
    pub fn maximum_percent(mut self, percent: u32) -> Self {
        self.maximum_percent = percent;
        self
    }

    /// See [`FargateServiceProps::circuit_breaker`].
    #[must_use]
    pub fn circuit_breaker(mut self, yes: bool) -> Self {
        self.circuit_breaker = yes;
        self
    }

    /// See [`FargateServiceProps::deployment_alarms`].
    #[must_use]
    pub fn deployment_alarms(mut self, alarm_names: Vec<Value<String>>) -> Self {
        self.deployment_alarms = alarm_names;
        self
    }

    /// See [`FargateServiceProps::deployment_controller`].
    #[must_use]
    pub fn deployment_controller(mut self, controller: DeploymentController) -> Self {
        self.deployment_controller = controller;
        self
    }

    /// See [`FargateServiceProps::assign_public_ip`].
    #[must_use]
    pub fn assign_public_ip(mut self, yes: bool) -> Self {
        self.assign_public_ip = yes;
        self
    }

    /// See [`FargateServiceProps::load_balancer`].
    #[must_use]
    pub fn load_balancer(mut self, target: LoadBalancerTarget) -> Self {
        self.load_balancer = Some(target);
        self
    }

    /// See [`FargateServiceProps::load_balancer_port`].
    #[must_use]
    pub fn load_balancer_port(mut self, port: u16) -> Self {
        self.load_balancer_port = Some(port);
        self
    }

    /// See [`FargateServiceProps::health_check_grace_period_seconds`].
    #[must_use]
    pub fn health_check_grace_period_seconds(mut self, seconds: u32) -> Self {
        self.health_check_grace_period_seconds = Some(seconds);
        self
    }

    /// See [`FargateServiceProps::autoscaling`].
    #[must_use]
    pub fn autoscaling(mut self, autoscaling: Autoscaling) -> Self {
        self.autoscaling = Some(autoscaling);
        self
    }

    /// See [`FargateServiceProps::enable_execute_command`].
    #[must_use]
    pub fn enable_execute_command(mut self, yes: bool) -> Self {
        self.enable_execute_command = yes;
        self
    }

    /// See [`FargateServiceProps::depends_on`].
    #[must_use]
    pub fn depends_on(mut self, id: LogicalId) -> Self {
        self.depends_on.push(id);
        self
    }

    /// The port the load balancer targets, once the props are checked.
    pub(crate) fn target_port(&self) -> Option<u16> {
        self.load_balancer_port.or(self.task_definition.container_port())
    }

    /// Every broken rule, at once.
    pub(crate) fn check(&self, path: &ConstructPath) -> Checks {
        let mut c = Checks::new(path);
        let (min, max, desired) = (self.minimum_healthy_percent, self.maximum_percent, self.desired_count);
        c.require(min <= max, "ecs-service/min-healthy-above-max", || {
            format!("minimum_healthy_percent ({min}) must not exceed maximum_percent ({max})")
        });
        c.require(max >= 100, "ecs-service/max-below-100", || {
            format!("maximum_percent must be at least 100, got {max}")
        });
        c.require(min <= 100, "ecs-service/min-healthy-above-100", || {
            format!("minimum_healthy_percent must be at most 100, got {min}")
        });
        // A rolling deployment moves tasks only if it may start one above `desired` or stop one
        // below it: ECS rounds the maximum down and the minimum up.
        let can_start = u64::from(desired) * u64::from(max) / 100 > u64::from(desired);
        let can_stop = (u64::from(desired) * u64::from(min)).div_ceil(100) < u64::from(desired);
        c.require(desired == 0 || can_start || can_stop, "ecs-service/deployment-cannot-progress", || {
            format!(
                "with desired_count {desired}, minimum_healthy_percent {min} and maximum_percent {max} a deployment \
                 can neither start a new task nor stop an old one; raise maximum_percent or lower \
                 minimum_healthy_percent"
            )
        });
        c.require(
            self.deployment_controller != DeploymentController::External,
            "ecs-service/external-controller",
            || {
                "the EXTERNAL deployment controller takes the task definition, networking and load balancers from \
                 task sets, which FargateService does not create; use DeploymentController::Ecs or CodeDeploy"
                    .to_owned()
            },
        );
        if self.deployment_controller != DeploymentController::Ecs {
            let controller = self.deployment_controller;
            c.require(!self.circuit_breaker, "ecs-service/circuit-breaker-needs-ecs-controller", || {
                format!("the deployment circuit breaker needs the ECS deployment controller, got {controller:?}; set circuit_breaker(false)")
            });
            c.require(self.deployment_alarms.is_empty(), "ecs-service/alarms-need-ecs-controller", || {
                format!("deployment alarms need the ECS deployment controller, got {controller:?}")
            });
        }
        match &self.load_balancer {
            None => {
                c.require(
                    self.health_check_grace_period_seconds.is_none(),
                    "ecs-service/grace-period-without-load-balancer",
                    || {
                        "health_check_grace_period_seconds is only used with a load balancer, and none is set"
                            .to_owned()
                    },
                );
                c.require(self.load_balancer_port.is_none(), "ecs-service/port-without-load-balancer", || {
                    "load_balancer_port is set but no load balancer is".to_owned()
                });
            }
            Some(_) => self.check_load_balancer(&mut c),
        }
        if let Some(scaling) = &self.autoscaling {
            self.check_autoscaling(&mut c, scaling);
        }
        let readonly = self.task_definition.readonly_containers();
        c.require(!self.enable_execute_command || readonly.is_empty(), "ecs-service/exec-needs-writable-root", || {
            format!(
                "ECS Exec cannot run in containers with a read-only root filesystem: {}; set \
                 readonly_root_filesystem(false) on them or leave enable_execute_command off",
                readonly.join(", ")
            )
        });
        c
    }

    fn check_load_balancer(&self, c: &mut Checks) {
        let container = self.task_definition.container_name();
        match (self.load_balancer_port, self.task_definition.container_port()) {
            (_, None) => c.fail(
                "ecs-service/load-balancer-without-port",
                format!("the load balancer needs a port, but container {container} maps none"),
            ),
            (Some(port), Some(_)) => {
                // Only the main container's first port is known here; the others live in the props.
                let mapped = self.task_definition.container_ports().contains(&port);
                c.require(mapped, "ecs-service/load-balancer-port-not-mapped", || {
                    format!(
                        "load_balancer_port {port} is not a port of container {container} (it maps {:?})",
                        self.task_definition.container_ports()
                    )
                });
            }
            (None, Some(_)) => {}
        }
        if let Some(grace) = self.health_check_grace_period_seconds {
            c.require(grace <= 2_147_483_647, "ecs-service/grace-period-range", || {
                format!("health_check_grace_period_seconds must be at most 2147483647, got {grace}")
            });
        }
    }

    fn check_autoscaling(&self, c: &mut Checks, scaling: &Autoscaling) {
        let (low, high, desired) = (scaling.min_capacity, scaling.max_capacity, self.desired_count);
        c.require(low <= high, "ecs-service/autoscaling-min-above-max", || {
            format!("autoscaling min_capacity ({low}) must not exceed max_capacity ({high})")
        });
        if self.load_balancer.is_some() {
            c.require(low >= 1, "ecs-service/autoscaling-min-below-one", || {
                "autoscaling min_capacity must be at least 1 for a service behind a load balancer, got 0".to_owned()
            });
        }
        c.require((low..=high).contains(&desired) || low > high, "ecs-service/desired-outside-capacity", || {
            format!("desired_count {desired} must be within autoscaling capacity {low}..={high}")
        });
        c.require(
            scaling.cpu_target_percent.is_some() || scaling.memory_target_percent.is_some(),
            "ecs-service/autoscaling-without-target",
            || "autoscaling needs a CPU or memory target".to_owned(),
        );
        for (metric, target) in [("cpu", scaling.cpu_target_percent), ("memory", scaling.memory_target_percent)] {
            if let Some(percent) = target {
                c.require((1..=100).contains(&percent), "ecs-service/autoscaling-target-range", || {
                    format!("autoscaling {metric}_target_percent must be 1..=100, got {percent}")
                });
            }
        }
    }
}
