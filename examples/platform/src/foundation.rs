//! The foundation stack of one environment: what every service shares, exported — the
//! `Foundation` pattern with the platform's alias, one NAT gateway and on-call address.

use stackwright_constructs::ec2::NatGateways;
use stackwright_constructs::patterns::{Foundation, FoundationProps};
use stackwright_constructs::{Environment, Error, Stack};

/// The foundation of `env`: `foundation-<environment>`.
pub(crate) fn stack(env: &Environment) -> Result<(Stack, Foundation), Error> {
    let props = FoundationProps::new()
        .description(format!(
            "Stackwright platform example ({}): the shared network, ECS cluster, key and alarm topic",
            env.name()
        ))
        .key_alias(format!("alias/platform-{}", env.name()))
        // One NAT gateway keeps the example cheap; a production foundation would use one per zone.
        .nat_gateways(NatGateways::Single)
        .alarm_email("platform-oncall@example.com");
    Foundation::stack(env, &props)
}
