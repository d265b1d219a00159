//! `stackwright.yaml`: an app's services and their delivery, described in YAML (or JSON) and
//! synthesized through the construct patterns — the same reviewed output as the Rust API.
//!
//! ```
//! let text = "\
//! name: shop
//! services:
//!   - name: web
//!     type: web
//!     pipeline:
//!       source: { provider: github, repository: example-org/shop-web }
//! ";
//! let manifest = stackwright_manifest::parse(text, "stackwright.yaml")?;
//! let app = stackwright_manifest::synthesize(&manifest, text, "stackwright.yaml")?;
//! assert_eq!(app.finished_stacks().len(), 1);
//! # Ok::<(), stackwright_manifest::Error>(())
//! ```
//!
//! Every problem is reported at `file:line:column` with its key path: serde's (unknown key,
//! with a suggestion; wrong type; missing key), the manifest's own rules, and every rule the
//! constructs enforce, at the line that set the value.

mod build;
mod error;
pub mod init;
pub mod model;
mod read;
mod schema;
mod spans;

use std::path::Path;

pub use build::synthesize;
pub use error::{Diagnostic, Error, Position};
pub use model::Manifest;
pub use read::{MAX_BYTES, parse};
pub use schema::schema;

/// The file `stackwright synth` reads when no `--manifest` is given.
pub const DEFAULT_FILE: &str = "stackwright.yaml";

/// Reads and synthesizes the manifest at `path`.
pub fn load(path: &Path) -> Result<stackwright_template::App, Error> {
    let file = path.display().to_string();
    let text = read_file(path, &file)?;
    let manifest = parse(&text, &file)?;
    synthesize(&manifest, &text, &file)
}

/// The file's text: at most [`MAX_BYTES`] (checked before reading it whole) and UTF-8.
fn read_file(path: &Path, file: &str) -> Result<String, Error> {
    use std::io::Read;
    let fail = |message: String| Error::one(file, Position::START, String::new(), message);
    let handle = std::fs::File::open(path).map_err(|e| fail(format!("cannot read the manifest: {e}")))?;
    let mut bytes = Vec::new();
    let limit = u64::try_from(MAX_BYTES).unwrap_or(u64::MAX).saturating_add(1);
    handle.take(limit).read_to_end(&mut bytes).map_err(|e| fail(format!("cannot read the manifest: {e}")))?;
    if bytes.len() > MAX_BYTES {
        return Err(fail(format!("the manifest is larger than {MAX_BYTES} bytes; a manifest is a page or two")));
    }
    String::from_utf8(bytes).map_err(|e| {
        let before = e.as_bytes().get(..e.utf8_error().valid_up_to()).unwrap_or_default();
        let line = before.split(|&b| b == b'\n').count();
        let column = before.iter().rev().take_while(|&&b| b != b'\n').count() + 1;
        Error::one(
            file,
            Position { line: line as u64, column: column as u64 },
            String::new(),
            "the manifest is not UTF-8 text".into(),
        )
    })
}
