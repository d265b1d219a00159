//! Values as lines of text, for line diffs: a buildspec or an inline script is its own
//! lines, a policy document given as a string is its JSON pretty-printed, anything else is
//! its canonical JSON.

use similar::TextDiff;
use stackwright_template::Json;
use stackwright_template::render::canonical_json;

/// Unchanged lines shown around each change in [`unified`] (the JSON `line_diff` field).
pub(crate) const CONTEXT_LINES: usize = 3;

/// The text a string value stands for, when it reads better as lines than as one escaped
/// string: a multi-line string (a buildspec, a script) as itself, a string holding a JSON
/// object or list (a lifecycle policy, a policy document) pretty-printed, an `Fn::Sub` of a
/// multi-line template as the template. `None` for anything else.
pub(crate) fn text(value: &Json) -> Option<String> {
    let string = match value {
        Json::String(string) => string.as_str(),
        Json::Object(map) if map.len() == 1 => match map.get("Fn::Sub")? {
            Json::String(template) => template.as_str(),
            Json::Array(items) => items.first()?.as_str()?,
            _ => return None,
        },
        _ => return None,
    };
    if string.contains('\n') {
        return Some(string.to_owned());
    }
    match serde_json::from_str::<Json>(string) {
        Ok(parsed @ (Json::Object(_) | Json::Array(_))) => Some(canonical_json(&parsed)),
        _ => None,
    }
}

/// The lines a value is diffed as: [`text`] when it has one, else its canonical JSON.
pub(crate) fn lines(value: Option<&Json>) -> String {
    value.map(|v| text(v).unwrap_or_else(|| canonical_json(v))).unwrap_or_default()
}

/// A unified diff (`@@ -1,3 +1,3 @@` hunks, `-` / `+` / ` ` lines) of a change whose old or
/// new value is [`text`]; `None` otherwise (objects and short values need none).
pub(crate) fn unified(old: Option<&Json>, new: Option<&Json>) -> Option<String> {
    if !old.into_iter().chain(new).any(|value| text(value).is_some()) {
        return None;
    }
    let (old, new) = (lines(old), lines(new));
    Some(TextDiff::from_lines(&old, &new).unified_diff().context_radius(CONTEXT_LINES).to_string())
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn strings_that_read_as_lines() {
        assert_eq!(text(&json!("a\nb\n")).as_deref(), Some("a\nb\n"));
        assert_eq!(text(&json!(r#"{"rules":[1]}"#)).as_deref(), Some(canonical_json(&json!({"rules": [1]})).as_str()));
        assert_eq!(text(&json!({"Fn::Sub": "x\n${A}"})).as_deref(), Some("x\n${A}"));
        assert_eq!(text(&json!({"Fn::Sub": ["x\n${A}", {"A": "b"}]})).as_deref(), Some("x\n${A}"));
        assert_eq!(text(&json!("one line")), None);
        assert_eq!(text(&json!("42")), None, "a number in a string is not a document");
        assert_eq!(text(&json!({"a": "b\nc"})), None);
    }

    #[test]
    fn a_one_word_change_is_one_changed_line() {
        let old = json!("phases:\n  build:\n    commands:\n      - make test\n      - make image\nartifacts: x\n");
        let new = json!("phases:\n  build:\n    commands:\n      - make check\n      - make image\nartifacts: x\n");
        let diff = unified(Some(&old), Some(&new)).unwrap();
        assert_eq!(
            diff,
            "@@ -1,6 +1,6 @@\n phases:\n   build:\n     commands:\n-      - make test\n+      - make check\n       - make image\n artifacts: x\n"
        );
        assert_eq!(unified(Some(&json!({"a": 1})), Some(&json!({"a": 2}))), None);
    }
}
