//! How a setting weakens ([`Check`]), and judging one change of it.

use stackwright_template::Json;

use super::tls;

/// How a setting weakens.
pub(super) enum Check {
    /// A boolean that was on becomes off: `false`, or removed (off is the default).
    TurnedOff,
    /// A value that was set is removed; the text says what applies instead.
    Removed { instead: &'static str },
    /// A number lowered; `absent` is the value a missing one stands for (infinity for
    /// "never expires").
    Lowered { absent: fn(&Json) -> f64, unit: &'static str },
    /// A value moves down `rank` (stronger is higher); `absent` is what a missing one means.
    Weakened { rank: fn(&str) -> Option<u8>, absent: &'static str },
    /// The `{Key, Value}` item `key` of a list was `"true"` and is `"false"` or gone.
    AttributeOff { key: &'static str },
    /// A non-empty list emptied or removed.
    Emptied,
    /// A listener's TLS policy accepts an older TLS version ([`tls::minimum_version`]).
    TlsPolicy,
    /// A listener's protocol moves from `HTTPS` / `TLS` to `HTTP` / `TCP`.
    Plaintext,
}

/// A literal boolean (`true`, `"true"`…); `None` for anything else.
fn flag(value: &Json) -> Option<bool> {
    match value {
        Json::Bool(b) => Some(*b),
        Json::String(s) if s == "true" || s == "false" => Some(s == "true"),
        _ => None,
    }
}

/// A literal number (or numeric string).
fn number(value: &Json) -> Option<f64> {
    match value {
        Json::Number(n) => n.as_f64(),
        Json::String(s) => s.parse().ok(),
        _ => None,
    }
}

/// Whether a value is off: removed, or a literal `false`.
fn off(value: Option<&Json>) -> bool {
    value.is_none_or(|v| flag(v) == Some(false))
}

fn show_number(value: f64, unit: &str) -> String {
    if value.is_infinite() { "never expire".to_owned() } else { format!("{value}{unit}") }
}

/// A string value, or `absent` for a missing one; `None` for a function call.
fn text_or<'a>(value: Option<&'a Json>, absent: &'a str) -> Option<&'a str> {
    match value {
        None => Some(absent),
        Some(v) => v.as_str(),
    }
}

/// The `Value` of the `{Key, Value}` item `key` in a list.
fn attribute<'a>(list: Option<&'a Json>, key: &str) -> Option<&'a Json> {
    let items = list?.as_array()?;
    items.iter().find(|item| item.get("Key").and_then(Json::as_str) == Some(key))?.get("Value")
}

/// The message when `check` sees the setting `what` weaken from `before` to `after` (in
/// the resources `old` and `new`).
pub(super) fn judge(
    check: &Check,
    what: &str,
    old: &Json,
    new: &Json,
    before: Option<&Json>,
    after: Option<&Json>,
) -> Option<String> {
    match check {
        Check::TurnedOff => (before.and_then(flag) == Some(true) && off(after)).then(|| format!("{what} turned off")),
        Check::Removed { instead } => {
            (before.is_some() && after.is_none()).then(|| format!("{what} removed: {instead}"))
        }
        Check::Lowered { absent, unit } => {
            let read = |value: Option<&Json>, resource| value.map_or(Some(absent(resource)), number);
            let (a, b) = (read(before, old)?, read(after, new)?);
            (b < a).then(|| format!("{what} lowered: {} -> {}", show_number(a, unit), show_number(b, unit)))
        }
        Check::Weakened { rank, absent } => {
            let (a, b) = (text_or(before, absent)?, text_or(after, absent)?);
            (rank(b)? < rank(a)?).then(|| format!("{what} weakened: {a} -> {b}"))
        }
        Check::AttributeOff { key } => (attribute(before, key).and_then(flag) == Some(true)
            && off(attribute(after, key)))
        .then(|| format!("{what} turned off ({key})")),
        Check::Emptied => {
            let items = |value: Option<&Json>| value.and_then(Json::as_array).map_or(0, Vec::len);
            let removed = after.is_none_or(|v| v.as_array().is_some_and(Vec::is_empty));
            (items(before) > 0 && removed).then(|| format!("{what} removed"))
        }
        Check::TlsPolicy => tls::weakened(old, new).map(|(a, b)| format!("{what} weakened: {a} -> {b}")),
        Check::Plaintext => {
            let (a, b) = (before?.as_str()?, after?.as_str()?);
            matches!((a, b), ("HTTPS", "HTTP") | ("TLS", "TCP"))
                .then(|| format!("{what} {a} -> {b}: the listener no longer encrypts traffic"))
        }
    }
}
