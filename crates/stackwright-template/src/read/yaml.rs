//! CloudFormation YAML to its JSON form, short-form tags included (see [`super::tags`]):
//! `!Ref X` becomes `{"Ref": "X"}`, `!GetAtt A.B` becomes `{"Fn::GetAtt": ["A", "B"]}`, `!Sub`,
//! `!Join`, `!If`… become `{"Fn::Sub": …}`…, so both spellings of a template read as equal.
//!
//! Plain scalars resolve like the YAML 1.2 core schema (null, booleans, integers, floats),
//! except that numbers with leading zeros stay strings (`0123` is an ID, not 123). Anchors
//! and aliases are expanded, within bounds ([`MAX_NODES`], [`MAX_DEPTH`]). One document per
//! file. [`read`] also records where every value is written and the keys written twice;
//! [`to_json`] (for YAML inside a template, such as a buildspec) does not.

use std::collections::BTreeMap;

use saphyr_parser::{Event, Parser, ScalarStyle, Span};
use serde_json::Map;

use super::lax::{read_laxly, unshift};
use super::positions::{DuplicateKey, Position, Positions};
use super::tags::{Meaning, call, core, meaning, plain};
use super::{Document, Format, ReadError};
use crate::pointer::escape;
use crate::value::Json;

/// Deeper nesting, aliases expanded, is refused rather than risking the stack: the same limit
/// as for JSON templates (`serde_json`'s recursion limit).
pub const MAX_DEPTH: usize = 128;

/// The most nodes (scalars, lists, maps) a document may expand to, aliases included: a few
/// chained anchors (a "billion laughs" alias bomb) would otherwise take gigabytes. A 500-resource
/// template has about 40,000 (keys count).
pub const MAX_NODES: usize = 1_000_000;

/// Converts one YAML document to JSON, without positions.
pub fn to_json(text: &str) -> Result<Json, ReadError> {
    read_laxly(text, |text| Reader::new(text, None).document()).map(|(value, _)| value)
}

/// Reads one YAML document, with the position of every value and the keys written twice.
/// Lines indented less than YAML 1.2 asks, where CloudFormation's reader takes them, are read
/// too (see [`super::lax`]).
pub(crate) fn read(text: &str) -> Result<Document, ReadError> {
    let ((value, mut positions, mut duplicates), pads) = read_laxly(text, |text| {
        let recording = Recording {
            path: String::new(),
            positions: Positions::with_capacity(text.len() / 12),
            duplicates: Vec::new(),
        };
        let mut reader = Reader::new(text, Some(recording));
        let value = reader.document()?;
        let (positions, duplicates) = reader.recording.map(|r| (r.positions, r.duplicates)).unwrap_or_default();
        Ok((value, positions, duplicates))
    })?;
    if !pads.is_empty() {
        positions.map(|p| unshift(p, &pads));
        for duplicate in &mut duplicates {
            duplicate.position = unshift(duplicate.position, &pads);
            duplicate.previous = unshift(duplicate.previous, &pads);
        }
    }
    Ok(Document { value, format: Format::Yaml, positions, duplicates })
}

/// What [`read`] keeps besides the value.
struct Recording {
    /// The pointer of the value being read; grown and cut back.
    path: String,
    positions: Positions,
    duplicates: Vec<DuplicateKey>,
}

/// How many levels `value` nests (a scalar: 0), without recursion.
fn height(value: &Json) -> usize {
    let mut deepest = 0;
    let mut stack = vec![(value, 0)];
    while let Some((node, level)) = stack.pop() {
        deepest = deepest.max(level);
        match node {
            Json::Array(items) => stack.extend(items.iter().map(|item| (item, level + 1))),
            Json::Object(map) => stack.extend(map.values().map(|item| (item, level + 1))),
            _ => {}
        }
    }
    deepest
}

fn start(span: Span) -> Position {
    Position::new(span.start.line(), span.start.col() + 1)
}

fn error(span: Span, message: impl Into<String>) -> ReadError {
    ReadError { format: Format::Yaml, position: start(span), message: message.into() }
}

fn scan_error(e: &saphyr_parser::ScanError) -> ReadError {
    ReadError {
        format: Format::Yaml,
        position: Position::new(e.marker().line(), e.marker().col() + 1),
        message: e.info().to_owned(),
    }
}

struct Reader<'a> {
    parser: Parser<'a, saphyr_parser::StrInput<'a>>,
    /// Anchored values, with how many nodes each holds and how deep it nests.
    anchors: BTreeMap<usize, (Json, usize, usize)>,
    last: Option<Span>,
    /// Nodes produced so far, aliases expanded.
    nodes: usize,
    recording: Option<Recording>,
}

impl<'a> Reader<'a> {
    fn new(text: &'a str, recording: Option<Recording>) -> Self {
        Self { parser: Parser::new_from_str(text), anchors: BTreeMap::new(), last: None, nodes: 0, recording }
    }

    fn document(&mut self) -> Result<Json, ReadError> {
        let mut value = None;
        loop {
            let (event, span) = self.next()?;
            match event {
                Event::StreamStart | Event::DocumentEnd | Event::Nothing => {}
                Event::DocumentStart(_) if value.is_some() => {
                    return Err(error(span, "more than one YAML document; a template is one"));
                }
                Event::DocumentStart(_) => {
                    let (document, at) = self.value(0)?;
                    if let Some(recording) = &mut self.recording {
                        recording.positions.record("", at, at);
                    }
                    value = Some(document);
                }
                Event::StreamEnd => return Ok(value.unwrap_or(Json::Null)),
                _ => return Err(error(span, "unexpected YAML structure")),
            }
        }
    }

    fn next(&mut self) -> Result<(Event<'a>, Span), ReadError> {
        match self.parser.next_event() {
            Some(Ok((event, span))) => {
                self.last = Some(span);
                Ok((event, span))
            }
            Some(Err(e)) => Err(scan_error(&e)),
            None => Err(self.fail("unexpected end of YAML")),
        }
    }

    fn fail(&self, message: &str) -> ReadError {
        self.last.map_or_else(
            || ReadError { format: Format::Yaml, position: Position::new(1, 1), message: message.to_owned() },
            |span| error(span, message),
        )
    }

    /// Appends `/segment` to the recorded path; returns the length to cut back to.
    fn enter(&mut self, segment: &str) -> usize {
        let Some(recording) = &mut self.recording else { return 0 };
        let len = recording.path.len();
        recording.path.push('/');
        recording.path.push_str(&escape(segment));
        len
    }

    fn leave(&mut self, len: usize) {
        if let Some(recording) = &mut self.recording {
            recording.path.truncate(len);
        }
    }

    /// The next value (the next event starts it), and where it starts.
    fn value(&mut self, depth: usize) -> Result<(Json, Position), ReadError> {
        if depth > MAX_DEPTH {
            return Err(self.fail(&format!("nested deeper than {MAX_DEPTH} levels")));
        }
        let (event, span) = self.next()?;
        let begin = self.nodes;
        self.count(1, span)?;
        let (anchor, tag) = match &event {
            Event::Alias(_) => (0, None),
            Event::Scalar(_, _, anchor, tag) | Event::SequenceStart(anchor, tag) | Event::MappingStart(anchor, tag) => {
                (*anchor, tag.as_deref().map(meaning).transpose().map_err(|m| error(span, m))?)
            }
            _ => return Err(error(span, "unexpected YAML structure")),
        };
        // The arguments of a short-form call sit under its key (`/Fn::If/1`), as in JSON.
        let inside = match &tag {
            Some(Meaning::Function(key)) if !matches!(event, Event::Scalar(..)) => Some(self.enter(key)),
            _ => None,
        };
        let value = match event {
            Event::Alias(id) => {
                let (value, nodes, height) =
                    self.anchors.get(&id).ok_or_else(|| error(span, "alias to an unknown anchor"))?;
                let (value, nodes, height) = (value.clone(), *nodes, *height);
                // Checked before the copy: the nodes were counted once already. Aliases nested
                // in aliases could otherwise build a value too deep to copy or drop safely.
                self.count(nodes - 1, span)?;
                if depth + height > MAX_DEPTH {
                    return Err(error(
                        span,
                        format!("nested deeper than {MAX_DEPTH} levels once aliases are expanded"),
                    ));
                }
                return Ok((value, start(span)));
            }
            Event::Scalar(text, style, ..) => match &tag {
                Some(Meaning::Core(suffix)) => {
                    core(&text, suffix).ok_or_else(|| error(span, format!("{text:?} is not a valid !!{suffix}")))?
                }
                None if style == ScalarStyle::Plain => plain(&text),
                // A function's argument, a `!` scalar, or a quoted or block scalar: a string.
                _ => Json::String(text.into_owned()),
            },
            Event::SequenceStart(..) => self.sequence(depth, start(span))?,
            _ => self.mapping(depth, start(span))?,
        };
        if let Some(len) = inside {
            self.leave(len);
        }
        let value = match tag {
            Some(Meaning::Function(key)) => call(key, value),
            _ => value,
        };
        if anchor > 0 {
            self.anchors.insert(anchor, (value.clone(), self.nodes - begin, height(&value)));
        }
        Ok((value, start(span)))
    }

    /// A sequence's items; `container` is where it starts.
    fn sequence(&mut self, depth: usize, container: Position) -> Result<Json, ReadError> {
        let mut items = Vec::new();
        while !matches!(self.peek_end()?, Some(true)) {
            let len = self.enter(&items.len().to_string());
            let (item, at) = self.value(depth + 1)?;
            self.record(at, container);
            self.leave(len);
            items.push(item);
        }
        Ok(Json::Array(items))
    }

    /// A mapping's members; `container` is where it starts.
    fn mapping(&mut self, depth: usize, container: Position) -> Result<Json, ReadError> {
        let mut map = Map::new();
        while !matches!(self.peek_end()?, Some(false)) {
            let (key, at) = match self.value(depth + 1)? {
                (Json::String(key), at) => (key, at),
                (Json::Number(n), at) => (n.to_string(), at),
                (Json::Bool(b), at) => (b.to_string(), at),
                (Json::Null, at) => ("null".to_owned(), at),
                _ => return Err(self.fail("a mapping key must be a scalar")),
            };
            let len = self.enter(&key);
            if let Some(first) = self.record(at, container)
                && let Some(recording) = &mut self.recording
            {
                let pointer = recording.path.clone();
                recording.duplicates.push(DuplicateKey { pointer, key: key.clone(), position: at, previous: first });
            }
            let (value, _) = self.value(depth + 1)?;
            self.leave(len);
            // Last wins, as CloudFormation reads it.
            map.insert(key, value);
        }
        Ok(Json::Object(map))
    }

    /// Records `at` for the current path, a member of the container starting at `container`;
    /// returns where the same key was written before in that container, if it was.
    fn record(&mut self, at: Position, container: Position) -> Option<Position> {
        let recording = self.recording.as_mut()?;
        recording.positions.record(&recording.path, at, container)
    }

    /// Counts `nodes` more, refusing to go past [`MAX_NODES`].
    fn count(&mut self, nodes: usize, span: Span) -> Result<(), ReadError> {
        self.nodes = self.nodes.saturating_add(nodes);
        if self.nodes > MAX_NODES {
            return Err(error(
                span,
                format!(
                    "the document expands to more than {MAX_NODES} nodes (aliases included): refused as an alias bomb"
                ),
            ));
        }
        Ok(())
    }

    /// Consumes a closing event if it comes next: `Some(true)` for a sequence end,
    /// `Some(false)` for a mapping end. Otherwise puts nothing back: the parser has `peek`.
    fn peek_end(&mut self) -> Result<Option<bool>, ReadError> {
        match self.parser.peek() {
            Some(Ok((Event::SequenceEnd, _))) => {
                self.next()?;
                Ok(Some(true))
            }
            Some(Ok((Event::MappingEnd, _))) => {
                self.next()?;
                Ok(Some(false))
            }
            Some(Err(e)) => Err(scan_error(&e)),
            _ => Ok(None),
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn short_form_tags_become_functions() {
        let yaml = "Resources:\n  Task:\n    Type: AWS::ECS::TaskDefinition\n    Properties:\n      Family: !Ref Name\n      \
                    Image: !Sub '${Repo.RepositoryUri}:latest'\n      Arn: !GetAtt Db.Endpoint.Address\n      \
                    List: !Join [',', [!Ref A, !GetAtt [B, Arn]]]\n      Pick: !If [IsProd, !Select [0, !GetAZs ''], !Ref AWS::NoValue]\n";
        assert_eq!(
            to_json(yaml).unwrap(),
            json!({"Resources": {"Task": {"Type": "AWS::ECS::TaskDefinition", "Properties": {
                "Family": {"Ref": "Name"},
                "Image": {"Fn::Sub": "${Repo.RepositoryUri}:latest"},
                "Arn": {"Fn::GetAtt": ["Db", "Endpoint.Address"]},
                "List": {"Fn::Join": [",", [{"Ref": "A"}, {"Fn::GetAtt": ["B", "Arn"]}]]},
                "Pick": {"Fn::If": ["IsProd", {"Fn::Select": [0, {"Fn::GetAZs": ""}]}, {"Ref": "AWS::NoValue"}]}
            }}}})
        );
    }

    #[test]
    fn every_short_form_reads_as_its_function() {
        // Intrinsic and condition functions, the rule functions, Fn::GetStackOutput and the
        // AWS::LanguageExtensions functions: `!Name` is `Fn::Name` (`Ref`, `Condition` as they are).
        for name in [
            "And",
            "Base64",
            "Cidr",
            "Contains",
            "EachMemberEquals",
            "EachMemberIn",
            "Equals",
            "FindInMap",
            "GetAZs",
            "GetStackOutput",
            "If",
            "ImportValue",
            "Join",
            "Length",
            "Not",
            "Or",
            "RefAll",
            "Select",
            "Split",
            "Sub",
            "ToJsonString",
            "Transform",
            "ValueOf",
            "ValueOfAll",
        ] {
            let key = format!("Fn::{name}");
            assert_eq!(to_json(&format!("a: !{name} [x, y]\n")).unwrap(), json!({"a": {key.clone(): ["x", "y"]}}));
            assert_eq!(to_json(&format!("a: !{name} x\n")).unwrap(), json!({"a": {key.clone(): "x"}}));
            assert_eq!(to_json(&format!("a: !{name} {{k: v}}\n")).unwrap(), json!({"a": {key: {"k": "v"}}}));
        }
        assert_eq!(
            to_json("a: !Ref x\nb: !Condition c\n").unwrap(),
            json!({"a": {"Ref": "x"}, "b": {"Condition": "c"}})
        );
    }

    #[test]
    fn an_unknown_tag_is_a_function_for_the_checks_to_judge() {
        assert_eq!(to_json("a: !Nope x\n").unwrap(), json!({"a": {"Fn::Nope": "x"}}));
        // Without a dot `!GetAtt` stays a string: malformed, for the function check to say so.
        assert_eq!(to_json("a: !GetAtt x\n").unwrap(), json!({"a": {"Fn::GetAtt": "x"}}));
    }

    #[test]
    fn the_non_specific_tag_makes_a_string() {
        assert_eq!(to_json("a: ! 10\nb: ! true\nc: ! [1]\n").unwrap(), json!({"a": "10", "b": "true", "c": [1]}));
    }

    #[test]
    fn scalars_resolve_like_cloudformation_expects() {
        let yaml = "a: 10\nb: '10'\nc: true\nd: 2012-10-17\ne: 0123\nf: 1.5\ng: ~\nh: !!str 5\ni: -3\nj: |\n  line\n";
        assert_eq!(
            to_json(yaml).unwrap(),
            json!({"a": 10, "b": "10", "c": true, "d": "2012-10-17", "e": "0123", "f": 1.5, "g": null, "h": "5",
                   "i": -3, "j": "line\n"})
        );
    }

    #[test]
    fn anchors_expand() {
        assert_eq!(to_json("a: &x {k: 1}\nb: *x\n").unwrap(), json!({"a": {"k": 1}, "b": {"k": 1}}));
    }

    #[test]
    fn alias_bombs_are_refused() {
        // 9 aliases per level, 8 levels: 9^8 = 43 million leaves.
        let mut yaml = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x]\n");
        for level in 1..=8 {
            let previous = format!("*a{}", level - 1);
            let _ = std::fmt::Write::write_fmt(
                &mut yaml,
                format_args!("a{level}: &a{level} [{}]\n", [previous.as_str(); 9].join(", ")),
            );
        }
        let error = to_json(&yaml).unwrap_err();
        assert_eq!(
            error.to_string(),
            "line 7 column 10: the document expands to more than 1000000 nodes (aliases included): refused as an alias bomb"
        );
        // A few levels are fine.
        let small: String = yaml.split_inclusive('\n').take(4).collect();
        assert!(to_json(&small).is_ok());
    }

    #[test]
    fn lines_indented_less_than_yaml_1_2_asks_read_as_cloudformation_reads_them() {
        // A JSON policy pasted under a key, its closing brace at the key's column (AWS's EKS
        // quick start), and a quoted scalar whose second line is at its key's column.
        let text = "Resources:\n  Key:\n    Properties:\n      KeyPolicy: {\n        \"Statement\": [\n          {\"Effect\": \"Allow\",\n       \"Action\": !Sub \"kms:${X}\"}\n        ]\n      }\n    Description: 'AWS Region where\n    hosted. It''s ok'\n";
        let strict = |text: &str| Reader::new(text, None).document().map_err(|e| e.message).err();
        assert_eq!(strict(text).as_deref(), Some("invalid indentation"));
        let only_quoted = text.replace("      }\n", "       }\n");
        assert_eq!(strict(&only_quoted).as_deref(), Some("invalid indentation in quoted scalar"));
        let document = read(text).expect("read");
        assert_eq!(
            document.value,
            json!({"Resources": {"Key": {
                "Properties": {"KeyPolicy": {"Statement": [{"Effect": "Allow", "Action": {"Fn::Sub": "kms:${X}"}}]}},
                "Description": "AWS Region where hosted. It's ok"}}})
        );
        // Positions are those of the text as written.
        let action = document.positions.get("/Resources/Key/Properties/KeyPolicy/Statement/0/Action");
        assert_eq!(action, Some(Position::new(7, 8)));
        assert_eq!(document.positions.get("/Resources/Key/Description"), Some(Position::new(10, 5)));
        // Block structure is not guessed: a mis-indented block line is still an error, at its place.
        let error = read("A:\n  B: 1\n C: 2\n").expect_err("block indentation");
        assert_eq!(error.position.line, 3, "{error}");
    }

    #[test]
    fn errors_name_the_place() {
        assert_eq!(to_json("a: !e!x y\n").unwrap_err().to_string().split(':').next(), Some("line 1 column 4"));
        assert!(to_json("a: [1\n").is_err());
        assert_eq!(to_json("a: 1\n---\nb: 2\n").unwrap_err().message, "more than one YAML document; a template is one");
    }

    #[test]
    fn positions_and_duplicates_are_recorded() {
        let yaml = "Resources:\n  Topic:\n    Type: AWS::SNS::Topic\n    Properties:\n      Name: !If\n        - C\n        - a\n        - b\n      Name: x\n    Type: Y\n";
        let document = read(yaml).unwrap();
        assert_eq!(document.value["Resources"]["Topic"], json!({"Type": "Y", "Properties": {"Name": "x"}}));
        let at = |pointer: &str| document.positions.get(pointer).map(|p| p.to_string());
        assert_eq!(at(""), Some("1:1".into()));
        assert_eq!(at("/Resources/Topic"), Some("2:3".into()));
        assert_eq!(at("/Resources/Topic/Properties/Name"), Some("9:7".into()), "the kept one");
        assert_eq!(at("/Resources/Topic/Properties/Name/Fn::If/2"), Some("8:11".into()));
        let duplicates: Vec<(&str, String, String)> = document
            .duplicates
            .iter()
            .map(|d| (d.pointer.as_str(), d.position.to_string(), d.previous.to_string()))
            .collect();
        assert_eq!(
            duplicates,
            [
                ("/Resources/Topic/Properties/Name", "9:7".to_owned(), "5:7".to_owned()),
                ("/Resources/Topic/Type", "10:5".to_owned(), "3:5".to_owned()),
            ]
        );
    }
}
