//! [`Capture`]: a matcher that remembers what it matched, for a later assertion.

use std::fmt;
use std::sync::{Arc, Mutex, PoisonError};

use serde_json::Value as Json;

use crate::matcher::{Kind, Matcher};
use crate::outcome::{Outcome, Path};

/// Matches a value (any present value, or one that matches its pattern) and, once the
/// assertion it is part of holds, keeps it: one value per matching resource (or output…),
/// in logical-ID order. A failed assertion captures nothing.
///
/// Clones share what is captured, so the clone handed to the pattern and the one kept by the
/// test see the same values.
///
/// ```
/// use serde_json::json;
/// use stackwright_testing::{Capture, Template, pattern};
///
/// let template = Template::from_json(json!({"Resources": {"Queue": {"Type": "AWS::SQS::Queue",
///     "Properties": {"MessageRetentionPeriod": 1209600}}}}))?;
/// let retention = Capture::new();
/// template.has_resource_properties("AWS::SQS::Queue", pattern!({"MessageRetentionPeriod": &retention}));
/// assert_eq!(retention.value(), json!(1209600));
/// # Ok::<(), stackwright_testing::LoadError>(())
/// ```
#[derive(Clone, Default)]
pub struct Capture {
    pattern: Option<Box<Matcher>>,
    values: Arc<Mutex<Vec<Json>>>,
}

impl Capture {
    /// Captures any present, non-null value.
    pub fn new() -> Self {
        Self::default()
    }

    /// Captures only a value that matches `pattern` (the assertion fails otherwise).
    pub fn matching(pattern: impl Into<Matcher>) -> Self {
        Self { pattern: Some(Box::new(pattern.into())), values: Arc::default() }
    }

    /// Every value captured so far, in order.
    pub fn values(&self) -> Vec<Json> {
        self.values.lock().unwrap_or_else(PoisonError::into_inner).clone()
    }

    /// The first value captured, if any.
    pub fn first(&self) -> Option<Json> {
        self.values.lock().unwrap_or_else(PoisonError::into_inner).first().cloned()
    }

    /// The first value captured.
    ///
    /// # Panics
    ///
    /// When nothing was captured (the assertion did not run, or failed).
    pub fn value(&self) -> Json {
        match self.first() {
            Some(value) => value,
            None => panic!("{self}: nothing was captured (did the assertion that uses it run and pass?)"),
        }
    }

    /// The first value captured, a string.
    ///
    /// # Panics
    ///
    /// When nothing was captured, or the value is not a string.
    pub fn as_string(&self) -> String {
        match self.value() {
            Json::String(text) => text,
            other => panic!("{self}: captured {other}, not a string"),
        }
    }

    pub(crate) fn record(&self, value: Json) {
        self.values.lock().unwrap_or_else(PoisonError::into_inner).push(value);
    }

    pub(crate) fn test_at(&self, actual: Option<&Json>, partial: bool, path: &mut Path, out: &mut Outcome) {
        let mut attempt = Outcome::default();
        let pattern = self.pattern.as_deref().cloned().unwrap_or(Matcher(Kind::AnyValue));
        pattern.test_at(actual, partial, path, &mut attempt);
        if let (true, Some(value)) = (attempt.is_success(), actual) {
            attempt.captures.push((self.clone(), value.clone()));
        }
        out.absorb(attempt);
    }
}

impl fmt::Display for Capture {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.pattern {
            Some(pattern) => write!(f, "capture({pattern})"),
            None => f.write_str("capture()"),
        }
    }
}

impl fmt::Debug for Capture {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Capture").field("pattern", &self.pattern).field("values", &self.values()).finish()
    }
}
