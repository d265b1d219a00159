//! JSON pointers (RFC 6901), the way every crate names a place in a template.

use std::borrow::Cow;

/// One key escaped for a pointer: `~` becomes `~0`, `/` becomes `~1`.
pub fn escape(key: &str) -> Cow<'_, str> {
    // A byte scan: `str::contains` with a char-array pattern decodes every char, and this runs
    // for every key every walk visits.
    if key.bytes().any(|b| b == b'~' || b == b'/') {
        Cow::Owned(key.replace('~', "~0").replace('/', "~1"))
    } else {
        Cow::Borrowed(key)
    }
}

/// One pointer segment unescaped: `~1` becomes `/`, `~0` becomes `~`.
pub fn unescape(segment: &str) -> Cow<'_, str> {
    if segment.contains('~') {
        Cow::Owned(segment.replace("~1", "/").replace("~0", "~"))
    } else {
        Cow::Borrowed(segment)
    }
}

/// `parent` + `/key`, the key escaped.
pub fn child(parent: &str, key: &str) -> String {
    let key = escape(key);
    let mut out = String::with_capacity(parent.len() + 1 + key.len());
    out.push_str(parent);
    out.push('/');
    out.push_str(&key);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_escaped_as_rfc_6901_says() {
        assert_eq!(child("/Resources", "a/b~c"), "/Resources/a~1b~0c");
        assert!(matches!(escape("Plain"), Cow::Borrowed("Plain")));
        assert_eq!(unescape("a~1b~0c"), "a/b~c");
        assert_eq!(unescape("~01"), "~1");
    }
}
