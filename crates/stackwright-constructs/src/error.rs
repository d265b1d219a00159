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

/// How many violations an [`Error::Invalid`] prints before it only counts the rest: enough
/// to fix in one go, few enough to read.
pub const MAX_LISTED: usize = 50;

/// An error building constructs.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// Props that break one or more rules; all of them are kept, sorted by path and rule, and
    /// the first [`MAX_LISTED`] are printed, followed by a count of the rest.
    #[error("{}", list(.0))]
    Invalid(Vec<Violation>),
    /// The template model refused something (a duplicate logical ID names both construct paths).
    #[error(transparent)]
    Template(#[from] stackwright_template::Error),
}

fn list(violations: &[Violation]) -> String {
    let mut lines: Vec<String> = violations.iter().take(MAX_LISTED).map(ToString::to_string).collect();
    if let Some(rest) = violations.len().checked_sub(MAX_LISTED).filter(|&rest| rest > 0) {
        lines.push(format!("… and {rest} more broken rules ({} in all)", violations.len()));
    }
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

    /// Whether no rule was broken so far.
    pub fn is_ok(&self) -> bool {
        self.violations.is_empty()
    }

    /// `Ok` when no rule was broken, else every violation, sorted. A construct records its
    /// checks on its stack instead ([`crate::Stack::record`]), so the stack reports every
    /// construct's violations together; this is for checks of a value made outside a stack.
    pub fn finish(self) -> Result<(), Error> {
        let violations = self.into_violations();
        if violations.is_empty() { Ok(()) } else { Err(Error::Invalid(violations)) }
    }

    /// The violations, sorted.
    pub(crate) fn into_violations(mut self) -> Vec<Violation> {
        self.violations.sort();
        self.violations
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
    fn a_long_list_prints_the_first_fifty_and_counts_the_rest() {
        let mut checks = Checks::new(&"Web");
        for i in 0..57 {
            checks.fail("x/y", format!("mistake {i:02}"));
        }
        let text = checks.finish().unwrap_err().to_string();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), MAX_LISTED + 1);
        assert_eq!(lines[0], "Web: mistake 00 [x/y]");
        assert_eq!(lines[MAX_LISTED - 1], "Web: mistake 49 [x/y]");
        assert_eq!(lines[MAX_LISTED], "… and 7 more broken rules (57 in all)");
    }

    #[test]
    fn exactly_fifty_are_all_printed() {
        let mut checks = Checks::new(&"Web");
        for i in 0..MAX_LISTED {
            checks.fail("x/y", format!("mistake {i:02}"));
        }
        assert_eq!(checks.finish().unwrap_err().to_string().lines().count(), MAX_LISTED);
    }

    #[test]
    fn no_violation_is_ok() {
        assert_eq!(Checks::new(&"X").finish(), Ok(()));
    }
}
