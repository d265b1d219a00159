//! The runtime half of the seed architecture, built with the [`LoadBalancedService`] pattern:
//! a Fargate web service behind an HTTPS load balancer, with rolling deployments rolled back
//! by the circuit breaker or by alarms, encrypted logs, and alarms published to an encrypted
//! topic — the same service with an EFS file system for its uploads, and one in a VPC the
//! stack creates, scaling with CPU.

use stackwright_constructs::ec2::{NatGateways, VpcProps};
use stackwright_constructs::ecs::{Autoscaling, ContainerDefinition, ContainerImage, FargateSize, HealthCheck};
use stackwright_constructs::kms::{Key, KeyProps};
use stackwright_constructs::patterns::{LoadBalancedService, LoadBalancedServiceProps, NetworkingChoice};
use stackwright_constructs::{Error, Stack};
use stackwright_template::App;

/// The stack without storage.
pub const WEB_SERVICE: &str = "web-service";
/// The stack with an EFS file system mounted at `/srv/uploads`.
pub const WEB_SERVICE_EFS: &str = "web-service-efs";
/// The stack that creates its own VPC and scales with CPU.
pub const WEB_SERVICE_VPC: &str = "web-service-vpc";

/// The three stacks (a mistake in any of them is reported with those of the others).
pub fn app() -> Result<App, Error> {
    Stack::finish_all([web_service()?, web_service_with_storage()?, web_service_in_new_vpc()?])
}

/// The application container: a read-only root filesystem (the default), so anything the
/// application writes goes to a mounted volume.
fn container() -> ContainerDefinition {
    ContainerDefinition::new("web", ContainerImage::Literal("public.ecr.aws/stackwright/shop-web:1.4.2".into()))
        .port(8080)
        .env("LOG_LEVEL", "info")
        .health_check(HealthCheck::new(["CMD-SHELL", "curl -fsS http://localhost:8080/healthz || exit 1"]))
}

/// A web service with alarms and rollback.
pub fn web_service() -> Result<Stack, Error> {
    let mut stack = Stack::new(WEB_SERVICE)?
        .with_description("Stackwright example: a load-balanced Fargate web service with alarms and rollback");
    let key = Key::new(&mut stack, "Key", KeyProps::new().alias("alias/web-service"))?;
    LoadBalancedService::new(
        &mut stack,
        "Web",
        &key,
        LoadBalancedServiceProps::new(container()).health_check_path("/healthz").alarm_email("oncall@example.com"),
    )?;
    Ok(stack)
}

/// The same service, with an encrypted EFS file system for its uploads.
pub fn web_service_with_storage() -> Result<Stack, Error> {
    let mut stack = Stack::new(WEB_SERVICE_EFS)?
        .with_description("Stackwright example: a load-balanced Fargate web service with EFS storage");
    let key = Key::new(&mut stack, "Key", KeyProps::new().alias("alias/web-service-efs"))?;
    LoadBalancedService::new(
        &mut stack,
        "Web",
        &key,
        LoadBalancedServiceProps::new(container())
            .size(FargateSize::CPU_512_MEMORY_1024)
            .health_check_path("/healthz")
            .efs_mount_path("/srv/uploads"),
    )?;
    Ok(stack)
}

/// The same service in a VPC the stack creates (one NAT gateway, to keep a test stack cheap),
/// scaling between 2 and 6 tasks to hold 60 % CPU.
pub fn web_service_in_new_vpc() -> Result<Stack, Error> {
    let mut stack = Stack::new(WEB_SERVICE_VPC)?
        .with_description("Stackwright example: a load-balanced Fargate web service in its own VPC, autoscaled");
    let key = Key::new(&mut stack, "Key", KeyProps::new().alias("alias/web-service-vpc"))?;
    LoadBalancedService::new(
        &mut stack,
        "Web",
        &key,
        LoadBalancedServiceProps::new(container())
            .networking(NetworkingChoice::NewVpc(VpcProps::new().nat_gateways(NatGateways::Single)))
            .health_check_path("/healthz")
            .autoscaling(Autoscaling::new(2, 6).cpu_target_percent(60)),
    )?;
    Ok(stack)
}
