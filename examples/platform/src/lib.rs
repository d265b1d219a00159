//! A platform team's app: per environment, one foundation stack — the network, the ECS
//! cluster, a customer-managed key and the platform's alarm topic — and three services that
//! run on its network and cluster through cross-stack references (`Export` and
//! `Fn::ImportValue`): a web service, a queue worker with its pipeline, and a web service
//! keeping its files on EFS. Staging and production are the same definitions synthesized
//! twice, production in another account with more and larger tasks and manual approval.
//!
//! Stacks are named `<part>-<environment>`; `synth` writes them in dependency order (each
//! foundation before its services) and `out/manifest.json` records the order, the
//! dependencies and where each stack goes. See `docs/PLATFORM.md`.

mod foundation;
mod services;

use stackwright_constructs::ecs::FargateSize;
use stackwright_constructs::{Environment, Error, Stack};
use stackwright_template::App;

pub use foundation::Foundation;

/// The environments: staging, and production in another account.
pub fn environments() -> Result<Vec<Environment>, Error> {
    Ok(vec![
        Environment::new("staging")?.account("111111111111")?.region("eu-west-1")?.desired_count(1).approval(false),
        Environment::new("production")?
            .account("222222222222")?
            .region("eu-west-1")?
            .desired_count(3)
            .size(FargateSize::CPU_512_MEMORY_1024)
            .alarm_threshold("QueueAge", 300.0)
            .approval(true),
    ])
}

/// Every stack of every environment (a mistake in any is reported with those of the others).
pub fn app() -> Result<App, Error> {
    let mut stacks: Vec<Stack> = Vec::new();
    for env in environments()? {
        let (foundation_stack, foundation) = foundation::stack(&env)?;
        stacks.push(foundation_stack);
        stacks.push(services::web(&env, &foundation)?);
        stacks.push(services::worker(&env, &foundation)?);
        stacks.push(services::files(&env, &foundation)?);
    }
    Stack::finish_all(stacks)
}
