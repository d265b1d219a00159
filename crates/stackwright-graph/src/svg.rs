//! SVG through Graphviz: the DOT text is laid out by the `dot` program found on `PATH`.
//!
//! A pure-Rust layout crate was measured against it (docs/GRAPH.md, "Why Graphviz"): none
//! drew the construct clusters, so Graphviz is the one layout engine, and a missing `dot` is a
//! clear error saying how to install it.

use std::io::Write as _;
use std::path::Path;
use std::process::{Command, Stdio};

/// Why no SVG came out.
#[derive(Debug)]
#[non_exhaustive]
pub enum SvgError {
    /// No `dot` program could be started.
    DotNotFound(std::io::Error),
    /// `dot` ran and failed.
    DotFailed { status: String, stderr: String },
    /// Talking to `dot` failed midway.
    Io(std::io::Error),
}

impl std::fmt::Display for SvgError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::DotNotFound(error) => write!(
                f,
                "--format svg needs Graphviz's `dot` on PATH ({error}); install Graphviz (Debian/Ubuntu: \
                 apt-get install graphviz, macOS: brew install graphviz), or use --format dot or mermaid"
            ),
            Self::DotFailed { status, stderr } => write!(f, "`dot -Tsvg` failed ({status}): {}", stderr.trim()),
            Self::Io(error) => write!(f, "cannot run `dot -Tsvg`: {error}"),
        }
    }
}

impl std::error::Error for SvgError {}

/// Lays out `dot_text` with `dot -Tsvg` (the program `dot`, from `PATH`, or the one given).
pub fn render(dot_text: &str, dot: Option<&Path>) -> Result<String, SvgError> {
    let program = dot.map_or_else(|| std::ffi::OsStr::new("dot"), Path::as_os_str);
    let mut child = Command::new(program)
        .arg("-Tsvg")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(SvgError::DotNotFound)?;
    // Writing from another thread: a large graph's SVG fills the stdout pipe while stdin is
    // still being written.
    let mut stdin = child.stdin.take().ok_or_else(|| SvgError::Io(std::io::Error::other("no stdin pipe")))?;
    let text = dot_text.to_owned();
    let writer = std::thread::spawn(move || stdin.write_all(text.as_bytes()));
    let output = child.wait_with_output().map_err(SvgError::Io)?;
    let written = writer.join().map_err(|_| SvgError::Io(std::io::Error::other("the writer thread panicked")))?;
    // A failing `dot` closes its input early: its own message says more than the broken pipe.
    if !output.status.success() {
        return Err(SvgError::DotFailed {
            status: output.status.to_string(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        });
    }
    written.map_err(SvgError::Io)?;
    String::from_utf8(output.stdout).map_err(|e| SvgError::Io(std::io::Error::other(e)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missing_dot_is_a_clear_error() {
        let error = render("digraph {}", Some(Path::new("/nonexistent/dot"))).unwrap_err();
        assert!(matches!(error, SvgError::DotNotFound(_)));
        assert!(error.to_string().contains("apt-get install graphviz"), "{error}");
    }
}
