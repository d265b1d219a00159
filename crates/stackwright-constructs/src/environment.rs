//! Environments: one service definition synthesized once per environment (staging,
//! production) into separate stacks with predictable names, each placed in its account and
//! region and carrying the environment's overrides.
//!
//! ```
//! use stackwright_constructs::{Environment, Stack};
//! let staging = Environment::new("staging")?.account("111111111111")?.region("eu-west-1")?;
//! let production = Environment::new("production")?.account("222222222222")?.desired_count(4).approval(true);
//! for env in [&staging, &production] {
//!     let stack: Stack = env.stack("web")?;
//!     let tasks = env.overrides().desired_count.unwrap_or(2);
//!     assert_eq!(stack.name().as_str(), format!("web-{}", env.name()));
//!     assert!(tasks >= 2);
//! }
//! # Ok::<(), stackwright_constructs::Error>(())
//! ```

use std::collections::BTreeMap;

use stackwright_template::Placement;

use crate::ecs::FargateSize;
use crate::error::{Checks, Error};
use crate::stack::Stack;

/// What an environment changes in the services it holds. Each is `None` (or empty) when the
/// service's own value stands. **Default:** nothing overridden.
#[derive(Debug, Clone, Default, PartialEq)]
#[non_exhaustive]
pub struct Overrides {
    /// The number of tasks.
    pub desired_count: Option<u32>,
    /// The task size.
    pub size: Option<FargateSize>,
    /// Alarm thresholds by alarm name (`CpuHigh` -> 90).
    pub alarm_thresholds: BTreeMap<String, f64>,
    /// Whether a release waits for manual approval before it reaches this environment.
    pub approval: Option<bool>,
}

/// An environment: a name, where its stacks go (account, region), its stack parameter values
/// and its overrides.
#[derive(Debug, Clone, PartialEq)]
pub struct Environment {
    name: String,
    account: Option<String>,
    region: Option<String>,
    parameters: BTreeMap<String, String>,
    overrides: Overrides,
}

impl Environment {
    /// An environment named `name`: lowercase ASCII letters, digits and hyphens, starting
    /// with a letter (it ends the stack names, `web-staging`), at most 32 characters.
    pub fn new(name: impl Into<String>) -> Result<Self, Error> {
        let name = name.into();
        let mut checks = Checks::new(&format!("Environment/{name}"));
        let well_formed = name.starts_with(|c: char| c.is_ascii_lowercase())
            && name.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
            && name.len() <= 32;
        checks.require(well_formed, "environment/name", || {
            format!(
                "environment name {name:?} must start with a lowercase letter and hold only lowercase letters, \
                 digits and hyphens, at most 32 characters (it ends every stack name of the environment)"
            )
        });
        checks.finish()?;
        Ok(Self { name, account: None, region: None, parameters: BTreeMap::new(), overrides: Overrides::default() })
    }

    /// Pins the AWS account: 12 digits. **Default:** unpinned (the deploying credentials').
    pub fn account(mut self, account: impl Into<String>) -> Result<Self, Error> {
        let account = account.into();
        let mut checks = Checks::new(&format!("Environment/{}", self.name));
        checks.require(
            account.len() == 12 && account.bytes().all(|b| b.is_ascii_digit()),
            "environment/account",
            || format!("account {account:?} must be a 12-digit AWS account ID"),
        );
        checks.finish()?;
        self.account = Some(account);
        Ok(self)
    }

    /// Pins the region (`eu-west-1`: lowercase letters and digits in hyphen-separated parts).
    /// **Default:** unpinned (the deploying credentials').
    pub fn region(mut self, region: impl Into<String>) -> Result<Self, Error> {
        let region = region.into();
        let mut checks = Checks::new(&format!("Environment/{}", self.name));
        let parts: Vec<&str> = region.split('-').collect();
        let ok = parts.len() >= 3
            && parts.iter().all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit()))
            && parts.last().is_some_and(|p| p.bytes().all(|b| b.is_ascii_digit()));
        checks.require(ok, "environment/region", || format!("region {region:?} is not a region name like eu-west-1"));
        checks.finish()?;
        self.region = Some(region);
        Ok(self)
    }

    /// Sets a stack parameter's value for this environment (recorded in `manifest.json` for
    /// the deploy). **Default:** none.
    #[must_use]
    pub fn parameter(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.parameters.insert(name.into(), value.into());
        self
    }

    /// Overrides the services' number of tasks. **Default:** the service's own.
    #[must_use]
    pub fn desired_count(mut self, count: u32) -> Self {
        self.overrides.desired_count = Some(count);
        self
    }

    /// Overrides the services' task size. **Default:** the service's own.
    #[must_use]
    pub fn size(mut self, size: FargateSize) -> Self {
        self.overrides.size = Some(size);
        self
    }

    /// Overrides the threshold of the alarm `alarm`. **Default:** the service's own.
    #[must_use]
    pub fn alarm_threshold(mut self, alarm: impl Into<String>, threshold: f64) -> Self {
        self.overrides.alarm_thresholds.insert(alarm.into(), threshold);
        self
    }

    /// Whether releases wait for manual approval before this environment. **Default:** the
    /// service's own.
    #[must_use]
    pub fn approval(mut self, yes: bool) -> Self {
        self.overrides.approval = Some(yes);
        self
    }

    /// The name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The stack parameter values, by name.
    pub fn parameters(&self) -> &BTreeMap<String, String> {
        &self.parameters
    }

    /// The overrides.
    pub fn overrides(&self) -> &Overrides {
        &self.overrides
    }

    /// Where its stacks are deployed, with the parameters and overrides as text.
    pub fn placement(&self) -> Placement {
        let o = &self.overrides;
        let mut overrides = BTreeMap::new();
        if let Some(count) = o.desired_count {
            overrides.insert("desired_count".to_owned(), count.to_string());
        }
        if let Some(size) = o.size {
            overrides.insert("size".to_owned(), format!("{} CPU units, {} MiB", size.cpu(), size.memory_mib()));
        }
        if let Some(yes) = o.approval {
            overrides.insert("approval".to_owned(), yes.to_string());
        }
        for (alarm, threshold) in &o.alarm_thresholds {
            overrides.insert(format!("alarm.{alarm}"), threshold.to_string());
        }
        Placement {
            environment: self.name.clone(),
            account: self.account.clone(),
            region: self.region.clone(),
            parameters: self.parameters.clone(),
            overrides,
        }
    }

    /// The stack of service `base` in this environment: named `<base>-<environment>`, placed
    /// here. The same definition called for each environment gives one stack per environment.
    pub fn stack(&self, base: &str) -> Result<Stack, Error> {
        Ok(Stack::new(&format!("{base}-{}", self.name))?.with_placement(self.placement()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_definition_gives_one_predictable_stack_per_environment() {
        let staging = Environment::new("staging").unwrap().region("eu-west-1").unwrap();
        let production = Environment::new("production")
            .unwrap()
            .account("222222222222")
            .unwrap()
            .desired_count(4)
            .size(FargateSize::CPU_512_MEMORY_1024)
            .alarm_threshold("CpuHigh", 70.0)
            .approval(true)
            .parameter("CertificateArn", "arn:aws:acm:eu-west-1:222222222222:certificate/x");
        let stacks: Vec<Stack> = [&staging, &production].iter().map(|env| env.stack("web").unwrap()).collect();
        let names: Vec<&str> = stacks.iter().map(|s| s.name().as_str()).collect();
        assert_eq!(names, ["web-staging", "web-production"]);
        let placed = stacks[1].placement().unwrap();
        assert_eq!(placed.account.as_deref(), Some("222222222222"));
        assert_eq!(placed.overrides["desired_count"], "4");
        assert_eq!(placed.overrides["size"], "512 CPU units, 1024 MiB");
        assert_eq!(placed.overrides["alarm.CpuHigh"], "70");
        assert_eq!(placed.overrides["approval"], "true");
        assert_eq!(placed.parameters["CertificateArn"], "arn:aws:acm:eu-west-1:222222222222:certificate/x");
        assert_eq!(stacks[0].placement().unwrap().region.as_deref(), Some("eu-west-1"));
    }

    #[test]
    fn bad_names_accounts_and_regions_are_errors_naming_the_environment() {
        let err = Environment::new("Prod_1").unwrap_err().to_string();
        assert!(err.starts_with("Environment/Prod_1: environment name \"Prod_1\" must start"), "{err}");
        assert!(err.ends_with("[environment/name]"), "{err}");
        let err = Environment::new("prod").unwrap().account("12345").unwrap_err().to_string();
        assert_eq!(err, "Environment/prod: account \"12345\" must be a 12-digit AWS account ID [environment/account]");
        let err = Environment::new("prod").unwrap().region("Europe").unwrap_err().to_string();
        assert_eq!(err, "Environment/prod: region \"Europe\" is not a region name like eu-west-1 [environment/region]");
    }
}
