//! The foundation stack of one environment: what every service shares, exported — the
//! `Foundation` pattern with the platform's alias, one NAT gateway and the on-call addresses
//! (the platform's and the services', whose alarms publish to its topic).

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
        // The services' alarms publish here too (`services.rs`), so their on-call addresses
        // are subscribed here: each team gets the environment's alarms, named `<stack>-…`.
        .alarm_email("platform-oncall@example.com")
        .alarm_email("web-oncall@example.com")
        .alarm_email("jobs-oncall@example.com");
    Foundation::stack(env, &props)
}
