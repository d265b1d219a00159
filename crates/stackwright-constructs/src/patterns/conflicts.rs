//! A hook may adjust anything a pattern's plain settings do not set; changing what they set
//! would silently override one of two settings, so it is an error naming both (rule
//! `pattern/hook-conflict`).

use std::collections::BTreeMap;
use std::fmt::Debug;

use crate::ecs::{ContainerDefinition, ContainerSecret, FargateSize};
use crate::error::Checks;
use crate::patterns::LoadBalancedServiceProps;

fn size(size: FargateSize) -> String {
    format!("{} CPU units and {} MiB", size.cpu(), size.memory_mib())
}

/// Records a conflict when `hooked` differs from `set`, the value the setting `setting` gave.
fn same<T: PartialEq + Debug>(checks: &mut Checks, hook: &str, setting: &str, set: &T, hooked: &T) {
    checks.require(set == hooked, "pattern/hook-conflict", || {
        format!("{hook} changes {setting} from {set:?} to {hooked:?}: set it in one place, {setting}")
    });
}

/// Every entry of `set` must still be in `hooked`, unchanged (a hook may add entries); values
/// are compared, and shown, as the JSON they render to.
fn kept<V>(
    checks: &mut Checks,
    hook: &str,
    setting: &str,
    (set, hooked): (&BTreeMap<String, V>, &BTreeMap<String, V>),
    render: impl Fn(&V) -> String,
) {
    for (name, value) in set {
        let (value, now) = (render(value), hooked.get(name).map(&render));
        checks.require(now.as_ref() == Some(&value), "pattern/hook-conflict", || match now {
            Some(now) => {
                format!("{hook} changes {name} from {value} to {now}, which {setting} sets: set it in one place")
            }
            None => format!("{hook} removes {name}, which {setting} sets: set it in one place"),
        });
    }
}

/// The container a pattern built from its settings against the one its hook left.
fn container(checks: &mut Checks, hook: &str, prefix: &str, set: &ContainerDefinition, hooked: &ContainerDefinition) {
    same(checks, hook, &format!("{prefix}::container_name"), &set.name, &hooked.name);
    checks.require(set.image == hooked.image, "pattern/hook-conflict", || {
        format!(
            "{hook} replaces the container's image: the pipeline releases through the {} parameter, which the container must keep",
            crate::patterns::IMAGE_URI_PARAMETER
        )
    });
    if let Some(port) = set.ports.first() {
        let hooked_port = hooked.ports.first();
        checks.require(hooked_port == Some(port), "pattern/hook-conflict", || match hooked_port {
            Some(other) => format!(
                "{hook} leaves a container whose port is {other}, but {prefix}::container_port is {port}: set container_port({other}) instead"
            ),
            None => format!("{hook} leaves a container without a port, but {prefix}::container_port is {port}"),
        });
    }
    let value = |v: &stackwright_template::Value<String>| v.to_json().to_string();
    kept(checks, hook, &format!("{prefix}::env"), (&set.environment, &hooked.environment), value);
    let secret = |s: &ContainerSecret| s.value_from().to_json().to_string();
    kept(checks, hook, &format!("{prefix}::secret"), (&set.secrets, &hooked.secrets), secret);
}

/// The runtime's props a pattern built from its settings against those its `runtime_hook`
/// returned.
pub(super) fn runtime(
    checks: &mut Checks,
    prefix: &str,
    set: &LoadBalancedServiceProps,
    hooked: &LoadBalancedServiceProps,
) {
    let hook = "runtime_hook";
    container(checks, hook, prefix, &set.container, &hooked.container);
    checks.require(set.size == hooked.size, "pattern/hook-conflict", || {
        format!(
            "{hook} changes the size from {} to {}: set it in one place, {prefix}::size",
            size(set.size),
            size(hooked.size)
        )
    });
    same(checks, hook, &format!("{prefix}::health_check_path"), &set.health_check_path, &hooked.health_check_path);
    same(checks, hook, &format!("{prefix}::desired_count"), &set.desired_count, &hooked.desired_count);
    same(checks, hook, &format!("{prefix}::autoscaling"), &set.autoscaling, &hooked.autoscaling);
    same(checks, hook, &format!("{prefix}::log_retention"), &set.log_retention, &hooked.log_retention);
    for address in set.alarm_emails.iter().filter(|a| !hooked.alarm_emails.contains(a)) {
        checks.fail(
            "pattern/hook-conflict",
            format!("{hook} removes alarm e-mail {address:?}, which {prefix}::alarm_email adds: set it in one place"),
        );
    }
}
