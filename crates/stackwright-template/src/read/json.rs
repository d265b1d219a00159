//! JSON templates: the value from `serde_json` (its number handling and its 128-level
//! recursion limit, unchanged), then one scan of the same text for the position of every value
//! and the keys written twice, which `serde_json` drops (last wins, as CloudFormation does).

use std::borrow::Cow;

use super::positions::{DuplicateKey, Position, Positions};
use super::{Document, Format, ReadError};
use crate::pointer::escape;
use crate::value::Json;

/// Parses JSON text, with positions and duplicate keys.
pub(crate) fn read(text: &str) -> Result<Document, ReadError> {
    let value: Json = serde_json::from_str(text).map_err(|error| {
        // serde_json ends its message with " at line L column C"; the position is kept apart.
        let message = error.to_string();
        let suffix = format!(" at line {} column {}", error.line(), error.column());
        let message = message.strip_suffix(&suffix).unwrap_or(&message).to_owned();
        ReadError { format: Format::Json, position: Position::new(error.line(), error.column()), message }
    })?;
    let mut scanner = Scanner {
        bytes: text.as_bytes(),
        text,
        at: 0,
        line: 1,
        column: 1,
        path: String::new(),
        positions: Positions::with_capacity(text.len() / 16),
        duplicates: Vec::new(),
    };
    scanner.skip_space();
    let start = scanner.position();
    scanner.positions.record("", start, start);
    scanner.value();
    Ok(Document { value, format: Format::Json, positions: scanner.positions, duplicates: scanner.duplicates })
}

/// Walks text `serde_json` accepted, so it can trust the grammar: a surprise ends the scan
/// early (fewer positions), never a panic.
struct Scanner<'a> {
    text: &'a str,
    bytes: &'a [u8],
    at: usize,
    line: usize,
    /// In characters: UTF-8 continuation bytes do not count.
    column: usize,
    /// The pointer of the value being scanned; grown and cut back.
    path: String,
    positions: Positions,
    duplicates: Vec<DuplicateKey>,
}

impl<'a> Scanner<'a> {
    fn position(&self) -> Position {
        Position::new(self.line, self.column)
    }

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.at).copied()
    }

    fn bump(&mut self) {
        let Some(byte) = self.peek() else { return };
        self.at += 1;
        if byte == b'\n' {
            self.line += 1;
            self.column = 1;
        } else if byte & 0xC0 != 0x80 {
            self.column += 1;
        }
    }

    fn skip_space(&mut self) {
        while let Some(byte) = self.peek() {
            match byte {
                b' ' | b'\t' | b'\r' => self.column += 1,
                b'\n' => {
                    self.line += 1;
                    self.column = 1;
                }
                _ => return,
            }
            self.at += 1;
        }
    }

    /// The value starting here (spaces skipped).
    fn value(&mut self) {
        match self.peek() {
            Some(b'{') => self.object(),
            Some(b'[') => self.list(),
            Some(b'"') => {
                self.string();
            }
            Some(_) => {
                // A number, `true`, `false` or `null`: ASCII on one line.
                let rest = self.bytes.get(self.at..).unwrap_or_default();
                let len = rest
                    .iter()
                    .position(|b| matches!(b, b',' | b'}' | b']' | b' ' | b'\t' | b'\n' | b'\r'))
                    .unwrap_or(rest.len());
                self.at += len;
                self.column += len;
            }
            None => {}
        }
    }

    fn object(&mut self) {
        let container = self.position();
        self.bump();
        let len = self.path.len();
        loop {
            self.skip_space();
            if self.peek() != Some(b'"') {
                break; // `}` (or a surprise)
            }
            let position = self.position();
            let Some(key) = self.string() else { return };
            self.path.push('/');
            self.path.push_str(&escape(&key));
            if let Some(first) = self.positions.record(&self.path, position, container) {
                let pointer = self.path.clone();
                self.duplicates.push(DuplicateKey { pointer, key: key.into_owned(), position, previous: first });
            }
            self.skip_space();
            if self.peek() == Some(b':') {
                self.bump();
            }
            self.skip_space();
            self.value();
            self.path.truncate(len);
            self.skip_space();
            if self.peek() == Some(b',') {
                self.bump();
            }
        }
        self.bump();
    }

    fn list(&mut self) {
        let container = self.position();
        self.bump();
        let len = self.path.len();
        let mut index = 0;
        loop {
            self.skip_space();
            match self.peek() {
                Some(b']') | None => break,
                _ => {}
            }
            self.path.push('/');
            self.path.push_str(&index.to_string());
            let position = self.position();
            self.positions.record(&self.path, position, container);
            self.value();
            self.path.truncate(len);
            index += 1;
            self.skip_space();
            if self.peek() == Some(b',') {
                self.bump();
            } else {
                break;
            }
        }
        self.bump();
    }

    /// The string starting here, unescaped; the scan moves past it. (JSON strings hold no raw
    /// line break, so only the column moves: by the characters skipped.)
    fn string(&mut self) -> Option<Cow<'a, str>> {
        let start = self.at;
        let mut end = start + 1;
        let mut escaped = false;
        loop {
            match self.bytes.get(end)? {
                b'"' => break,
                b'\\' => {
                    escaped = true;
                    end += 2;
                }
                _ => end += 1,
            }
        }
        end += 1;
        let skipped = self.bytes.get(start..end).unwrap_or_default();
        self.column += skipped.iter().filter(|b| **b & 0xC0 != 0x80).count();
        self.at = end;
        let text: &'a str = self.text;
        let raw = text.get(start..self.at)?;
        if escaped {
            serde_json::from_str::<String>(raw).ok().map(Cow::Owned)
        } else {
            raw.get(1..raw.len() - 1).map(Cow::Borrowed)
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn every_value_has_its_position() {
        let text = "{\n  \"Resources\": {\n    \"Tópic\": {\"Type\": \"AWS::SNS::Topic\", \"List\": [1, \"a\\\"b\", {}]}\n  }\n}\n";
        let document = read(text).unwrap();
        assert_eq!(document.value["Resources"]["Tópic"]["List"][1], json!("a\"b"));
        let at = |pointer: &str| document.positions.get(pointer).map(|p| p.to_string());
        assert_eq!(at(""), Some("1:1".into()));
        assert_eq!(at("/Resources"), Some("2:3".into()));
        assert_eq!(at("/Resources/Tópic"), Some("3:5".into()));
        assert_eq!(at("/Resources/Tópic/Type"), Some("3:15".into()), "columns count characters, not bytes");
        assert_eq!(at("/Resources/Tópic/List/2"), Some("3:62".into()));
        assert!(document.duplicates.is_empty());
    }

    #[test]
    fn keys_written_twice_are_reported_and_the_last_one_kept() {
        let text = r#"{"Resources": {"A": {"Type": "X"}, "B": {}, "A": {"Type": "Y", "Type": "Z"}}}"#;
        let document = read(text).unwrap();
        assert_eq!(document.value["Resources"]["A"], json!({"Type": "Z"}));
        let found: Vec<(String, String, String)> = document
            .duplicates
            .iter()
            .map(|d| (d.pointer.clone(), d.position.to_string(), d.previous.to_string()))
            .collect();
        assert_eq!(
            found,
            [
                ("/Resources/A".to_owned(), "1:45".to_owned(), "1:16".to_owned()),
                ("/Resources/A/Type".to_owned(), "1:64".to_owned(), "1:51".to_owned()),
            ]
        );
        assert_eq!(document.positions.get("/Resources/A").map(|p| p.column), Some(45), "the kept one");
    }

    #[test]
    fn errors_keep_the_position_apart_from_the_message() {
        let error = read("{\"Resources\": \n").unwrap_err();
        assert_eq!((error.position, error.message.as_str()), (Position::new(2, 1), "EOF while parsing a value"));
        let deep = format!("{}{}", "[".repeat(200), "]".repeat(200));
        assert!(read(&deep).unwrap_err().message.contains("recursion limit"));
    }
}
