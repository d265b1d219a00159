//! [`HealthCheck`]: how the load balancer decides a target is healthy.

use crate::error::Checks;

/// The target group's health check (HTTP, on the traffic port).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct HealthCheck {
    /// The path requested: starts with `/`, at most 1024 printable characters without spaces.
    /// **Default:** `/`.
    pub path: String,
    /// Consecutive successes before a target is healthy, 2-10. **Default:** 2 (AWS and CDK:
    /// 5): with the interval below a new task takes traffic after 30 s, not 2.5 min, which
    /// keeps rolling deployments short.
    pub healthy_threshold: u32,
    /// Consecutive failures before a target is unhealthy, 2-10. **Default:** 3 (AWS and CDK:
    /// 2): one slow garbage collection does not take a task out.
    pub unhealthy_threshold: u32,
    /// Seconds between checks, 5-300, more than the timeout. **Default:** 15 (AWS and CDK: 30).
    pub interval_seconds: u32,
    /// Seconds without a response that fail a check, 2-120. **Default:** 5 (as AWS and CDK).
    pub timeout_seconds: u32,
    /// The HTTP codes of a healthy response: `200`, `200,204` or `200-399`, codes 200-499.
    /// **Default:** `200-399` (AWS and CDK: `200`): a redirect to a login page is alive.
    pub success_codes: String,
}

impl Default for HealthCheck {
    fn default() -> Self {
        Self {
            path: "/".into(),
            healthy_threshold: 2,
            unhealthy_threshold: 3,
            interval_seconds: 15,
            timeout_seconds: 5,
            success_codes: "200-399".into(),
        }
    }
}

impl HealthCheck {
    /// The defaults.
    pub fn new() -> Self {
        Self::default()
    }

    /// See [`HealthCheck::path`].
    #[must_use]
    pub fn path(mut self, path: impl Into<String>) -> Self {
        self.path = path.into();
        self
    }

    /// See [`HealthCheck::healthy_threshold`] and [`HealthCheck::unhealthy_threshold`].
    #[must_use]
    pub fn thresholds(mut self, healthy: u32, unhealthy: u32) -> Self {
        self.healthy_threshold = healthy;
        self.unhealthy_threshold = unhealthy;
        self
    }

    /// See [`HealthCheck::interval_seconds`] and [`HealthCheck::timeout_seconds`].
    #[must_use]
    pub fn timing(mut self, interval_seconds: u32, timeout_seconds: u32) -> Self {
        self.interval_seconds = interval_seconds;
        self.timeout_seconds = timeout_seconds;
        self
    }

    /// See [`HealthCheck::success_codes`].
    #[must_use]
    pub fn success_codes(mut self, codes: impl Into<String>) -> Self {
        self.success_codes = codes.into();
        self
    }

    /// Records every rule this health check breaks.
    pub(crate) fn check(&self, checks: &mut Checks) {
        let path = &self.path;
        let path_ok = path.starts_with('/') && path.len() <= 1024 && path.bytes().all(|b| (0x21..0x7f).contains(&b));
        checks.require(path_ok, "alb/health-check-path", || {
            format!("health check path must start with `/` and have at most 1024 printable characters without spaces, got {path:?}")
        });
        for (what, value) in [("healthy", self.healthy_threshold), ("unhealthy", self.unhealthy_threshold)] {
            checks.require((2..=10).contains(&value), "alb/health-check-threshold", || {
                format!("{what} threshold must be 2..=10, got {value}")
            });
        }
        let (interval, timeout) = (self.interval_seconds, self.timeout_seconds);
        checks.require((5..=300).contains(&interval), "alb/health-check-interval", || {
            format!("health check interval must be 5..=300 seconds, got {interval}")
        });
        checks.require((2..=120).contains(&timeout), "alb/health-check-timeout", || {
            format!("health check timeout must be 2..=120 seconds, got {timeout}")
        });
        checks.require(interval > timeout, "alb/health-check-interval-above-timeout", || {
            format!("health check interval ({interval} s) must be longer than its timeout ({timeout} s)")
        });
        checks.require(valid_codes(&self.success_codes), "alb/health-check-success-codes", || {
            format!(
                "success codes must be codes 200-499 as `200`, `200,204` or `200-399`, got {:?}",
                self.success_codes
            )
        });
    }
}

fn valid_codes(codes: &str) -> bool {
    let code = |c: &str| c.len() == 3 && c.parse::<u16>().is_ok_and(|n| (200..=499).contains(&n));
    match codes.split_once('-') {
        Some((low, high)) => code(low) && code(high) && low < high,
        None => !codes.is_empty() && codes.split(',').all(code),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn errors(health: &HealthCheck) -> String {
        let mut checks = Checks::new(&"Lb");
        health.check(&mut checks);
        checks.finish().map_or_else(|e| e.to_string(), |()| String::new())
    }

    #[test]
    fn defaults_are_valid() {
        let h = HealthCheck::new();
        assert_eq!((h.path.as_str(), h.success_codes.as_str()), ("/", "200-399"));
        assert_eq!((h.healthy_threshold, h.unhealthy_threshold, h.interval_seconds, h.timeout_seconds), (2, 3, 15, 5));
        assert_eq!(errors(&h), "");
        assert_eq!(errors(&h.success_codes("200,204")), "");
    }

    #[test]
    fn every_rule_at_once() {
        let h = HealthCheck::new().path("health").thresholds(1, 11).timing(4, 121).success_codes("500");
        assert_eq!(
            errors(&h),
            "Lb: health check interval must be 5..=300 seconds, got 4 [alb/health-check-interval]\n\
             Lb: health check interval (4 s) must be longer than its timeout (121 s) [alb/health-check-interval-above-timeout]\n\
             Lb: health check path must start with `/` and have at most 1024 printable characters without spaces, got \"health\" [alb/health-check-path]\n\
             Lb: success codes must be codes 200-499 as `200`, `200,204` or `200-399`, got \"500\" [alb/health-check-success-codes]\n\
             Lb: healthy threshold must be 2..=10, got 1 [alb/health-check-threshold]\n\
             Lb: unhealthy threshold must be 2..=10, got 11 [alb/health-check-threshold]\n\
             Lb: health check timeout must be 2..=120 seconds, got 121 [alb/health-check-timeout]"
        );
        assert!(errors(&HealthCheck::new().timing(10, 10)).contains("[alb/health-check-interval-above-timeout]"));
        assert!(errors(&HealthCheck::new().success_codes("399-200")).contains("[alb/health-check-success-codes]"));
    }
}
