//! What one test of a pattern against a value found: the differences, each with where it
//! is, and the values captures would take if the whole test succeeds.

use serde_json::Value as Json;

use crate::capture::Capture;

/// Where a value sits under the tested root: object keys and array indexes (`(json)` for the
/// parsed content of a serialized-JSON string).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Path(pub(crate) Vec<String>);

impl Path {
    pub(crate) fn push(&mut self, segment: &str) {
        self.0.push(segment.to_owned());
    }

    pub(crate) fn pop(&mut self) {
        self.0.pop();
    }

    /// As a JSON pointer (RFC 6901), `/` for the root itself.
    pub(crate) fn pointer(segments: &[String]) -> String {
        if segments.is_empty() {
            return "/".to_owned();
        }
        segments.iter().fold(String::new(), |mut out, s| {
            out.push('/');
            out.push_str(&stackwright_template::pointer::escape(s));
            out
        })
    }
}

/// One difference between the pattern and the value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Failure {
    pub(crate) path: Vec<String>,
    pub(crate) message: String,
}

/// The result of one test.
#[derive(Debug, Clone, Default)]
pub(crate) struct Outcome {
    pub(crate) failures: Vec<Failure>,
    /// Recorded into their captures only when the whole assertion holds for this value.
    pub(crate) captures: Vec<(Capture, Json)>,
}

impl Outcome {
    pub(crate) fn is_success(&self) -> bool {
        self.failures.is_empty()
    }

    pub(crate) fn fail(&mut self, path: &Path, message: String) {
        self.failures.push(Failure { path: path.0.clone(), message });
    }

    /// Takes over another test's failures and captures (a nested attempt that counts).
    pub(crate) fn absorb(&mut self, other: Outcome) {
        self.failures.extend(other.failures);
        self.captures.extend(other.captures);
    }

    /// Takes over a failed attempt's failures only: its captures never happened.
    pub(crate) fn absorb_failures(&mut self, other: Outcome) {
        self.failures.extend(other.failures);
    }

    /// Records the captured values into their captures.
    pub(crate) fn commit(self) {
        for (capture, value) in self.captures {
            capture.record(value);
        }
    }
}
