//! The runtime half of the seed architecture, built with the [`LoadBalancedService`] pattern:
//! a Fargate web service behind an HTTPS load balancer, with rolling deployments rolled back
//! by the circuit breaker or by alarms, encrypted logs, and alarms published to an encrypted
//! topic — and the same service with an EFS file system for its uploads.

use stackwright_constructs::ecs::{ContainerDefinition, ContainerImage, FargateSize, HealthCheck};
use stackwright_constructs::kms::{Key, KeyProps};
use stackwright_constructs::patterns::{LoadBalancedService, LoadBalancedServiceProps};
use stackwright_constructs::{Error, Stack};
use stackwright_template::App;

/// The stack without storage.
pub const WEB_SERVICE: &str = "web-service";
/// The stack with an EFS file system mounted at `/srv/uploads`.
pub const WEB_SERVICE_EFS: &str = "web-service-efs";

/// Both stacks.
pub fn app() -> Result<App, Error> {
    let mut app = App::new();
    for stack in [web_service()?, web_service_with_storage()?] {
        let stack = stack.finish()?;
        app.add_stack(stack.name, stack.template)?;
    }
    Ok(app)
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
