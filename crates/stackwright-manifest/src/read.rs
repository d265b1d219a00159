//! Reading a manifest: YAML (JSON is YAML too) through serde-saphyr, strict and bounded, every
//! error placed at its line and column with its key path.

use serde::Deserialize;
use serde_saphyr::{Budget, Error as YamlError, MessageFormatter, Options};

use crate::error::{Error, Position};
use crate::model::Manifest;

/// The largest manifest read, in bytes: a manifest is a page or two; anything near this is a
/// mistake (or an attack), refused before it is parsed.
pub const MAX_BYTES: usize = 1024 * 1024;

/// Limits well above any real manifest and far below what would cost time or memory: they
/// stop alias bombs ("billion laughs") and deep nesting with an error at the place they hit.
fn options() -> Options {
    let mut budget = Budget::default();
    budget.max_depth = 32;
    budget.max_nodes = 20_000;
    budget.max_events = 100_000;
    budget.max_aliases = 256;
    budget.max_anchors = 256;
    budget.max_total_scalar_bytes = MAX_BYTES;
    let mut options = Options::default();
    options.budget = Some(budget);
    options.alias_limits.max_total_replayed_events = 20_000;
    options.alias_limits.max_alias_expansions_per_anchor = 64;
    options.alias_limits.max_replay_stack_depth = 16;
    // `yes`/`no`/`on`/`off` are not booleans: `approval: no` is an error, not a surprise.
    options.strict_booleans = true;
    options.with_snippet = false;
    options
}

/// Reads `text` (the contents of `file`) as a manifest.
pub fn parse(text: &str, file: &str) -> Result<Manifest, Error> {
    if text.len() > MAX_BYTES {
        return Err(Error::one(
            file,
            Position::START,
            String::new(),
            format!("the manifest is {} bytes; a manifest is at most {MAX_BYTES} bytes", text.len()),
        ));
    }
    if text.trim().is_empty() || only_comments(text) {
        return Err(Error::one(
            file,
            Position::START,
            String::new(),
            "the manifest is empty: expected a mapping with `name` and `services` (`stackwright init` writes one)"
                .into(),
        ));
    }
    let mut path = None;
    let read = serde_saphyr::with_deserializer_from_str_with_options(text, options(), |de| {
        let mut track = serde_path_to_error::Track::new();
        let result = Manifest::deserialize(serde_path_to_error::Deserializer::new(de, &mut track));
        if result.is_err() {
            path = Some(track.path().to_string());
        }
        result
    });
    read.map_err(|error| {
        // serde_path_to_error writes `?` for a key it never saw (a syntax error mid-mapping).
        let path = path.map(|p| p.trim_end_matches(".?").trim_end_matches('?').to_owned()).unwrap_or_default();
        let path = if path == "." { String::new() } else { path };
        let position = match error.without_snippet() {
            // serde notices a missing key at the end of its mapping: point at the mapping's start.
            YamlError::SerdeMissingField { .. } => crate::spans::Spans::of(text).find(&path),
            other => other
                .location()
                .map_or(Position::START, |l| Position { line: l.line().max(1), column: l.column().max(1) }),
        };
        Error::one(file, position, path, describe(&error))
    })
}

fn only_comments(text: &str) -> bool {
    text.lines().all(|line| {
        let line = line.trim();
        line.is_empty() || line.starts_with('#') || line == "---" || line == "..."
    })
}

/// The message, without the position (the error's own text repeats it), with a suggestion
/// for a misspelled key or value.
fn describe(error: &YamlError) -> String {
    match error.without_snippet() {
        YamlError::SerdeUnknownField { field, expected, .. } => unknown("key", field, expected),
        YamlError::SerdeUnknownVariant { variant, expected, .. } => unknown("value", variant, expected),
        YamlError::SerdeMissingField { field, .. } => format!("missing required key `{field}`"),
        YamlError::InvalidScalar { ty, .. } => match *ty {
            "u8" => "expected a whole number from 0 to 255".into(),
            "u16" => "expected a whole number from 0 to 65535".into(),
            "u32" => "expected a whole number from 0 to 4294967295".into(),
            "f64" | "f32" => "expected a number".into(),
            "bool" => "expected `true` or `false`".into(),
            other => format!("expected a value of type {other}"),
        },
        other => serde_saphyr::DefaultMessageFormatter.format_message(other).into_owned(),
    }
}

/// "unknown key `x`: did you mean `y`? (expected one of …)".
fn unknown(what: &str, given: &str, expected: &[&str]) -> String {
    let suggestion = closest(given, expected).map(|near| format!(": did you mean `{near}`?")).unwrap_or_default();
    format!("unknown {what} `{given}`{suggestion} (expected one of {})", quoted(expected))
}

fn quoted(names: &[&str]) -> String {
    names.iter().map(|n| format!("`{n}`")).collect::<Vec<_>>().join(", ")
}

/// The expected name nearest to `given`, when it is near enough to be a typo.
pub(crate) fn closest<'a>(given: &str, expected: &[&'a str]) -> Option<&'a str> {
    expected
        .iter()
        .map(|name| (strsim::damerau_levenshtein(given, name), *name))
        .filter(|(distance, name)| *distance <= (name.len() / 3).max(2))
        .min()
        .map(|(_, name)| name)
}
