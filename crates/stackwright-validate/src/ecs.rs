//! ECS rules the public linters miss: deployment controller features, rolling percentages
//! that cannot make progress, deployment alarms that reference their own service, Fargate
//! CPU/memory pairs, read-only root filesystems, and the task role doubling as execution role.

use stackwright_template::{Json, LogicalId, Template};

use crate::finding::Finding;
use crate::json::{boolean, get, integer, is_literal, named_resource, property, resource, resources_of, show};
use stackwright_template::walk::{Use, walk};

pub(crate) fn check(template: &Template, out: &mut Vec<Finding>) {
    for (id, service, at) in resources_of(template, "AWS::ECS::Service") {
        let mut push = |rule, at: String, message: String| out.push(Finding::new(rule, at, message).about(id.as_str()));
        let controller = property(service, &["DeploymentController", "Type"]).and_then(Json::as_str);
        let config = property(service, &["DeploymentConfiguration"]);
        match controller {
            Some(kind) if kind != "ECS" => {
                for feature in ["DeploymentCircuitBreaker", "Alarms"] {
                    let Some(value) = config.and_then(|c| get(c, &[feature])) else { continue };
                    // A conditional value (`Fn::If`) is judged by neither branch: it may be off.
                    if !is_literal(value) || get(value, &["Enable"]).and_then(boolean) == Some(false) {
                        continue;
                    }
                    let message = format!(
                        "{feature} with DeploymentController {kind}: ECS rejects it; the circuit breaker and deployment alarms work only with the ECS (rolling update) controller"
                    );
                    push("ecs/controller-feature", format!("{at}/DeploymentConfiguration/{feature}"), message);
                }
            }
            _ => {
                let daemon = property(service, &["SchedulingStrategy"]).and_then(Json::as_str) == Some("DAEMON");
                if !daemon && let Some(message) = rolling_stuck(service) {
                    push("ecs/rolling-no-progress", format!("{at}/DeploymentConfiguration"), message);
                }
            }
        }
        if let Some(Json::Array(names)) = config.and_then(|c| get(c, &["Alarms", "AlarmNames"])) {
            for (i, name) in names.iter().enumerate() {
                if let Some(message) = alarm_references_service(template, id, name) {
                    push(
                        "ecs/alarm-references-service",
                        format!("{at}/DeploymentConfiguration/Alarms/AlarmNames/{i}"),
                        message,
                    );
                }
            }
        }
    }
    for (id, task, at) in resources_of(template, "AWS::ECS::TaskDefinition") {
        let mut push = |rule, at: String, message: String| out.push(Finding::new(rule, at, message).about(id.as_str()));
        let fargate = property(task, &["RequiresCompatibilities"])
            .and_then(Json::as_array)
            .is_some_and(|kinds| kinds.iter().any(|k| k.as_str() == Some("FARGATE")));
        if fargate && let Some((field, message)) = fargate_size(property(task, &["Cpu"]), property(task, &["Memory"])) {
            push("ecs/fargate-cpu-memory", format!("{at}{field}"), message);
        }
        if let Some(Json::Array(containers)) = property(task, &["ContainerDefinitions"]) {
            // A container behind a function call (`Fn::If`) cannot be read here.
            for (i, container) in containers.iter().enumerate().filter(|(_, c)| is_literal(c)) {
                let name = get(container, &["Name"]).map_or_else(|| format!("#{i}"), show);
                let (value, field) = match get(container, &["ReadonlyRootFilesystem"]) {
                    Some(v) if !is_literal(v) || boolean(v) == Some(true) => continue,
                    Some(v) => (show(v), "/ReadonlyRootFilesystem"),
                    None => ("unset (false)".to_owned(), ""),
                };
                let message = format!(
                    "container {name} has ReadonlyRootFilesystem {value}; expected true (mount a volume for the paths it writes)"
                );
                push("ecs/read-only-root-filesystem", format!("{at}/ContainerDefinitions/{i}{field}"), message);
            }
        }
        if let (Some(task_role), Some(execution_role)) =
            (property(task, &["TaskRoleArn"]), property(task, &["ExecutionRoleArn"]))
            && same_role(task_role, execution_role)
        {
            let message = format!(
                "TaskRoleArn and ExecutionRoleArn are both {}: the application would hold the agent's rights to pull images and read secrets; expected a separate task role",
                show(task_role)
            );
            push("ecs/execution-role-is-task-role", format!("{at}/TaskRoleArn"), message);
        }
    }
}

/// Whether two role values name the same role: equal as written, or a `Ref` / `Fn::GetAtt`
/// (either form) of the same resource.
fn same_role(a: &Json, b: &Json) -> bool {
    a == b || named_resource(a).is_some_and(|id| named_resource(b).as_ref() == Some(&id))
}

/// Why a rolling update with these numbers can never replace a task, if it cannot.
fn rolling_stuck(service: &stackwright_template::Resource) -> Option<String> {
    let literal = |path: &[&str], default: i64| match property(service, path) {
        None => Some(default),
        Some(v) => integer(v),
    };
    // i128: the numbers are user input, and their products must not overflow.
    let desired = i128::from(literal(&["DesiredCount"], 1)?);
    let min = i128::from(literal(&["DeploymentConfiguration", "MinimumHealthyPercent"], 100)?);
    let max = i128::from(literal(&["DeploymentConfiguration", "MaximumPercent"], 200)?);
    if desired <= 0 || min < 0 || max < 0 {
        return None;
    }
    let most = desired * max / 100;
    let least = (desired * min + 99) / 100;
    // Replacing a task needs room to run one more (most > least) than must stay healthy.
    if least < most {
        return None;
    }
    let max_needed = ((least + 1) * 100 + desired - 1) / desired;
    let min_needed = (most - 1).max(0) * 100 / desired;
    Some(format!(
        "DesiredCount {desired} with MinimumHealthyPercent {min} and MaximumPercent {max}: ECS may run at most {most} task(s) and must keep {least} healthy, so it can never stop an old task for a new one; expected MaximumPercent of at least {max_needed} or MinimumHealthyPercent of at most {min_needed}"
    ))
}

/// The alarm named by `name` (through `Ref` or `Fn::GetAtt`) and where it refers to `service`.
fn alarm_references_service(template: &Template, service: &LogicalId, name: &Json) -> Option<String> {
    let mut uses = Vec::new();
    walk(name, "", &mut uses);
    uses.iter().find_map(|site| {
        let (Use::Ref(alarm) | Use::GetAtt { resource: alarm, .. }) = &site.used else { return None };
        let resource = resource(template, alarm)?;
        let mut inside = Vec::new();
        for (key, value) in &resource.properties {
            walk(value, &format!("/Resources/{alarm}/Properties/{key}"), &mut inside);
        }
        let back = inside.iter().find(|s| match &s.used {
            Use::Ref(t) | Use::SubName(t) | Use::GetAtt { resource: t, .. } => t == service.as_str(),
            _ => false,
        })?;
        Some(format!(
            "deployment alarm {alarm} refers to this service at {}: the service waits for the alarm and the alarm for the service (a dependency cycle); name the service in the alarm's dimensions literally",
            back.pointer
        ))
    })
}

/// Task-level Fargate CPU units and memory MiB, if the pair is unsupported: (pointer suffix,
/// message).
fn fargate_size(cpu: Option<&Json>, memory: Option<&Json>) -> Option<(&'static str, String)> {
    let (Some(cpu), Some(memory)) = (cpu, memory) else {
        let missing = if cpu.is_none() { "Cpu" } else { "Memory" };
        return Some(("", format!("a Fargate task definition needs task-level Cpu and Memory; {missing} is unset")));
    };
    if !is_literal(cpu) || !is_literal(memory) {
        return None;
    }
    let Some(units) = cpu_units(cpu) else {
        return Some((
            "/Cpu",
            format!("Cpu {} is not a CPU size; expected one of 256, 512, 1024, 2048, 4096, 8192, 16384", show(cpu)),
        ));
    };
    let (low, high, step) = match units {
        256 => (512, 2048, 512),
        512 => (1024, 4096, 1024),
        1024 => (2048, 8192, 1024),
        2048 => (4096, 16384, 1024),
        4096 => (8192, 30720, 1024),
        8192 => (16384, 61440, 4096),
        16384 => (32768, 122_880, 8192),
        _ => {
            return Some((
                "/Cpu",
                format!(
                    "Fargate Cpu {units} is not supported; expected one of 256, 512, 1024, 2048, 4096, 8192, 16384"
                ),
            ));
        }
    };
    let mib = memory_mib(memory);
    let valid = mib.is_some_and(|m| m >= low && m <= high && (m % step == 0) && (units != 256 || m != 1536));
    (!valid).then(|| {
        let expected =
            if units == 256 { "512, 1024 or 2048".to_owned() } else { format!("{low} to {high} in steps of {step}") };
        (
            "/Memory",
            format!(
                "Fargate Cpu {units} with Memory {}: not a supported pair; expected Memory {expected} (MiB)",
                show(memory)
            ),
        )
    })
}

/// `1024`, `"1024"` or `"1 vCPU"` as CPU units.
fn cpu_units(value: &Json) -> Option<i64> {
    integer(value).or_else(|| {
        let text = value.as_str()?.trim().to_ascii_lowercase();
        let vcpu: f64 = text.strip_suffix("vcpu")?.trim().parse().ok()?;
        #[allow(clippy::cast_possible_truncation)]
        Some((vcpu * 1024.0).round() as i64)
    })
}

/// `2048`, `"2048"` or `"2 GB"` as MiB.
fn memory_mib(value: &Json) -> Option<i64> {
    integer(value).or_else(|| {
        let text = value.as_str()?.trim().to_ascii_lowercase();
        let gb: f64 = text.strip_suffix("gb")?.trim().parse().ok()?;
        #[allow(clippy::cast_possible_truncation)]
        Some((gb * 1024.0).round() as i64)
    })
}
