//! Errors of the construct layer: every one names the construct path and the rule it broke.

use std::fmt;

/// One broken rule: where (a construct path), which rule (a stable id), and what was wrong.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Violation {
    /// The construct path, e.g. `Web/Service`.
    pub path: String,
    /// A stable rule id, e.g. `ecs-service/min-healthy-above-max`.
    pub rule: &'static str,
    /// What is wrong, with the offending value and what was expected.
    pub message: String,
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {} [{}]", self.path, self.message, self.rule)
    }
}

/// An error building constructs.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// Props that break one or more rules; all of them are listed, sorted by path and rule.
    #[error("{}", list(.0))]
    Invalid(Vec<Violation>),
    /// The template model refused something (a duplicate logical ID names both construct paths).
    #[error(transparent)]
    Template(#[from] stackwright_template::Error),
}

fn list(violations: &[Violation]) -> String {
    let lines: Vec<String> = violations.iter().map(ToString::to_string).collect();
    lines.join("\n")
}

/// Collects the violations of one construct's props, so all of them are reported at once.
#[derive(Debug)]
pub struct Checks {
    path: String,
    violations: Vec<Violation>,
}

impl Checks {
    /// Checks for the construct at `path`.
    pub fn new(path: &impl std::fmt::Display) -> Self {
        Self { path: path.to_string(), violations: Vec::new() }
    }

    /// Records a violation of `rule` unless `ok`; `message` is only built when it is needed.
    pub fn require(&mut self, ok: bool, rule: &'static str, message: impl FnOnce() -> String) {
        if !ok {
            self.fail(rule, message());
        }
    }

    /// Records a violation of `rule`.
    pub fn fail(&mut self, rule: &'static str, message: impl Into<String>) {
        self.violations.push(Violation { path: self.path.clone(), rule, message: message.into() });
    }

    /// `Ok` when no rule was broken, else every violation, sorted.
    pub fn finish(mut self) -> Result<(), Error> {
        if self.violations.is_empty() {
            Ok(())
        } else {
            self.violations.sort();
            Err(Error::Invalid(self.violations))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn all_violations_are_listed_sorted_with_path_and_rule() {
        let mut checks = Checks::new(&"Web/Service");
        checks.require(false, "b-rule", || "second".into());
        checks.require(true, "never", || unreachable!("message built for a passing check"));
        checks.fail("a-rule", "first");
        let err = checks.finish().unwrap_err();
        assert_eq!(err.to_string(), "Web/Service: first [a-rule]\nWeb/Service: second [b-rule]");
    }

    #[test]
    fn no_violation_is_ok() {
        assert_eq!(Checks::new(&"X").finish(), Ok(()));
    }
}
