//! [`HealthCheck`]: a container health check, its ranges checked against the ECS limits.

use stackwright_cfn::ecs::task_definition as l1;

use crate::error::Checks;

/// A container health check, run by the ECS agent inside the task.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct HealthCheck {
    /// `["CMD", ...]` or `["CMD-SHELL", "..."]`. **Required.**
    pub command: Vec<String>,
    /// Seconds between checks, 5 to 300. **Default:** 30 (the ECS default).
    pub interval_seconds: u32,
    /// Seconds a check may take, 2 to 120. **Default:** 5 (the ECS default).
    pub timeout_seconds: u32,
    /// Failures in a row before the container is unhealthy, 1 to 10. **Default:** 3.
    pub retries: u32,
    /// Seconds after start during which failures do not count, 0 to 300. **Default:** 0.
    pub start_period_seconds: u32,
}

impl HealthCheck {
    /// A health check running `command` (its first item `CMD` or `CMD-SHELL`).
    pub fn new(command: impl IntoIterator<Item = impl Into<String>>) -> Self {
        Self {
            command: command.into_iter().map(Into::into).collect(),
            interval_seconds: 30,
            timeout_seconds: 5,
            retries: 3,
            start_period_seconds: 0,
        }
    }

    /// See [`HealthCheck::interval_seconds`].
    #[must_use]
    pub fn interval_seconds(mut self, seconds: u32) -> Self {
        self.interval_seconds = seconds;
        self
    }

    /// See [`HealthCheck::timeout_seconds`].
    #[must_use]
    pub fn timeout_seconds(mut self, seconds: u32) -> Self {
        self.timeout_seconds = seconds;
        self
    }

    /// See [`HealthCheck::retries`].
    #[must_use]
    pub fn retries(mut self, retries: u32) -> Self {
        self.retries = retries;
        self
    }

    /// See [`HealthCheck::start_period_seconds`].
    #[must_use]
    pub fn start_period_seconds(mut self, seconds: u32) -> Self {
        self.start_period_seconds = seconds;
        self
    }

    pub(crate) fn check(&self, checks: &mut Checks, container: &str) {
        checks.require(
            matches!(self.command.first().map(String::as_str), Some("CMD" | "CMD-SHELL")) && self.command.len() > 1,
            "ecs-container/health-check-command",
            || format!("container {container}: health check command must be [\"CMD\", ...] or [\"CMD-SHELL\", \"...\"], got {:?}", self.command),
        );
        for (field, value, min, max) in [
            ("interval_seconds", self.interval_seconds, 5, 300),
            ("timeout_seconds", self.timeout_seconds, 2, 120),
            ("retries", self.retries, 1, 10),
            ("start_period_seconds", self.start_period_seconds, 0, 300),
        ] {
            checks.require((min..=max).contains(&value), "ecs-container/health-check-range", || {
                format!("container {container}: health check {field} must be {min}..={max}, got {value}")
            });
        }
    }

    pub(crate) fn to_l1(&self) -> l1::HealthCheck {
        l1::HealthCheck::new()
            .command(self.command.clone())
            .interval(self.interval_seconds)
            .timeout(self.timeout_seconds)
            .retries(self.retries)
            .start_period(self.start_period_seconds)
    }
}
