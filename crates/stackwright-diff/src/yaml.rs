//! CloudFormation YAML to its JSON form, short-form tags included: `!Ref X` becomes
//! `{"Ref": "X"}`, `!GetAtt A.B` becomes `{"Fn::GetAtt": ["A", "B"]}`, `!Sub`, `!Join`,
//! `!If`… become `{"Fn::Sub": …}`…, so both spellings of a template diff as equal.
//!
//! Plain scalars resolve like the YAML 1.2 core schema (null, booleans, integers, floats),
//! except that numbers with leading zeros stay strings (`0123` is an ID, not 123). Anchors
//! and aliases are expanded. One document per file.

use std::collections::BTreeMap;
use std::fmt;

use saphyr_parser::{Event, Parser, ScalarStyle, Span, Tag};
use serde_json::{Map, Number};
use stackwright_template::Json;

/// Why YAML text could not be converted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YamlError {
    /// 1-based line.
    pub line: usize,
    /// 1-based column.
    pub column: usize,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for YamlError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {} column {}: {}", self.line, self.column, self.message)
    }
}

impl std::error::Error for YamlError {}

/// Functions whose short form is `!Name` for `Fn::Name`.
const FUNCTIONS: [&str; 18] = [
    "And",
    "Base64",
    "Cidr",
    "Equals",
    "FindInMap",
    "GetAZs",
    "GetAtt",
    "If",
    "ImportValue",
    "Join",
    "Length",
    "Not",
    "Or",
    "Select",
    "Split",
    "Sub",
    "ToJsonString",
    "Transform",
];

/// Deeper nesting, aliases expanded, is refused rather than risking the stack: the same limit
/// as for JSON templates (`serde_json`'s recursion limit).
pub const MAX_DEPTH: usize = 128;

/// The most nodes (scalars, lists, maps) a document may expand to, aliases included: a few
/// chained anchors (a "billion laughs" alias bomb) would otherwise take gigabytes. A 500-resource
/// template has about 40,000 (keys count).
pub const MAX_NODES: usize = 1_000_000;

/// Converts one YAML document to JSON.
pub fn to_json(text: &str) -> Result<Json, YamlError> {
    let mut reader = Reader { parser: Parser::new_from_str(text), anchors: BTreeMap::new(), last: None, nodes: 0 };
    let mut value = None;
    loop {
        let (event, span) = reader.next()?;
        match event {
            Event::StreamStart | Event::DocumentEnd | Event::Nothing => {}
            Event::DocumentStart(_) if value.is_some() => {
                return Err(error(span, "more than one YAML document; a template is one"));
            }
            Event::DocumentStart(_) => value = Some(reader.value(0)?),
            Event::StreamEnd => return Ok(value.unwrap_or(Json::Null)),
            _ => return Err(error(span, "unexpected YAML structure")),
        }
    }
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

fn error(span: Span, message: impl Into<String>) -> YamlError {
    YamlError { line: span.start.line(), column: span.start.col() + 1, message: message.into() }
}

struct Reader<'a> {
    parser: Parser<'a, saphyr_parser::StrInput<'a>>,
    /// Anchored values, with how many nodes each holds and how deep it nests.
    anchors: BTreeMap<usize, (Json, usize, usize)>,
    last: Option<Span>,
    /// Nodes produced so far, aliases expanded.
    nodes: usize,
}

impl<'a> Reader<'a> {
    fn next(&mut self) -> Result<(Event<'a>, Span), YamlError> {
        match self.parser.next_event() {
            Some(Ok((event, span))) => {
                self.last = Some(span);
                Ok((event, span))
            }
            Some(Err(e)) => {
                Err(YamlError { line: e.marker().line(), column: e.marker().col() + 1, message: e.info().to_owned() })
            }
            None => Err(self.fail("unexpected end of YAML")),
        }
    }

    fn fail(&self, message: &str) -> YamlError {
        self.last
            .map_or_else(|| YamlError { line: 1, column: 1, message: message.to_owned() }, |span| error(span, message))
    }

    /// The next value (the next event starts it).
    fn value(&mut self, depth: usize) -> Result<Json, YamlError> {
        if depth > MAX_DEPTH {
            return Err(self.fail(&format!("nested deeper than {MAX_DEPTH} levels")));
        }
        let (event, span) = self.next()?;
        let start = self.nodes;
        self.count(1, span)?;
        let (anchor, tag, value) = match event {
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
                return Ok(value);
            }
            Event::Scalar(text, style, anchor, tag) => {
                let value = match tag.as_deref() {
                    Some(tag) if tag.is_yaml_core_schema() => core(&text, &tag.suffix)
                        .ok_or_else(|| error(span, format!("{text:?} is not a valid !!{}", tag.suffix)))?,
                    None if style == ScalarStyle::Plain => plain(&text),
                    // A function tag's argument, or a quoted or block scalar: a string.
                    _ => Json::String(text.into_owned()),
                };
                (anchor, tag.map(std::borrow::Cow::into_owned), value)
            }
            Event::SequenceStart(anchor, tag) => {
                let mut items = Vec::new();
                loop {
                    if matches!(self.peek_end()?, Some(true)) {
                        break;
                    }
                    items.push(self.value(depth + 1)?);
                }
                (anchor, tag.map(std::borrow::Cow::into_owned), Json::Array(items))
            }
            Event::MappingStart(anchor, tag) => {
                let mut map = Map::new();
                loop {
                    if matches!(self.peek_end()?, Some(false)) {
                        break;
                    }
                    let key = match self.value(depth + 1)? {
                        Json::String(key) => key,
                        Json::Number(n) => n.to_string(),
                        Json::Bool(b) => b.to_string(),
                        Json::Null => "null".to_owned(),
                        _ => return Err(self.fail("a mapping key must be a scalar")),
                    };
                    let value = self.value(depth + 1)?;
                    map.insert(key, value);
                }
                (anchor, tag.map(std::borrow::Cow::into_owned), Json::Object(map))
            }
            _ => return Err(error(span, "unexpected YAML structure")),
        };
        let value = match tag {
            Some(tag) if !tag.is_yaml_core_schema() => function(&tag, value).map_err(|m| error(span, m))?,
            _ => value,
        };
        if anchor > 0 {
            self.anchors.insert(anchor, (value.clone(), self.nodes - start, height(&value)));
        }
        Ok(value)
    }

    /// Counts `nodes` more, refusing to go past [`MAX_NODES`].
    fn count(&mut self, nodes: usize, span: Span) -> Result<(), YamlError> {
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
    fn peek_end(&mut self) -> Result<Option<bool>, YamlError> {
        match self.parser.peek() {
            Some(Ok((Event::SequenceEnd, _))) => {
                self.next()?;
                Ok(Some(true))
            }
            Some(Ok((Event::MappingEnd, _))) => {
                self.next()?;
                Ok(Some(false))
            }
            Some(Err(e)) => {
                Err(YamlError { line: e.marker().line(), column: e.marker().col() + 1, message: e.info().to_owned() })
            }
            _ => Ok(None),
        }
    }
}

/// A short-form function tag applied to its argument.
fn function(tag: &Tag, value: Json) -> Result<Json, String> {
    let name = tag.suffix.as_str();
    if tag.handle != "!" {
        return Err(format!("unknown tag {tag}"));
    }
    let key = match name {
        "Ref" => "Ref".to_owned(),
        "Condition" => "Condition".to_owned(),
        _ if FUNCTIONS.contains(&name) => format!("Fn::{name}"),
        _ => return Err(format!("unknown tag !{name}; known: !Ref, !Condition, !{}", FUNCTIONS.join(", !"))),
    };
    let argument = match (name, value) {
        // `!GetAtt Resource.Attribute.With.Dots`: the attribute is everything after the first dot.
        ("GetAtt", Json::String(dotted)) => match dotted.split_once('.') {
            Some((resource, attribute)) => serde_json::json!([resource, attribute]),
            None => return Err(format!("!GetAtt {dotted}: expected Resource.Attribute")),
        },
        (_, value) => value,
    };
    let mut map = Map::new();
    map.insert(key, argument);
    Ok(Json::Object(map))
}

/// A plain scalar, resolved by the core schema (leading-zero numbers stay strings).
fn plain(text: &str) -> Json {
    match text {
        "" | "~" | "null" | "Null" | "NULL" => return Json::Null,
        "true" | "True" | "TRUE" => return Json::Bool(true),
        "false" | "False" | "FALSE" => return Json::Bool(false),
        _ => {}
    }
    let digits = text.strip_prefix(['-', '+']).unwrap_or(text);
    let leading_zero = digits.len() > 1 && digits.starts_with('0') && !digits.starts_with("0.");
    if !leading_zero && digits.chars().next().is_some_and(|c| c.is_ascii_digit()) {
        if let Ok(int) = text.parse::<i64>() {
            return Json::Number(int.into());
        }
        if digits.chars().all(|c| c.is_ascii_digit() || matches!(c, '.' | 'e' | 'E' | '-' | '+'))
            && let Some(number) = text.parse::<f64>().ok().and_then(Number::from_f64)
        {
            return Json::Number(number);
        }
    }
    Json::String(text.to_owned())
}

/// A scalar with an explicit core tag (`!!str 10`, `!!int "10"`).
fn core(text: &str, suffix: &str) -> Option<Json> {
    match suffix {
        "int" | "float" => match plain(text) {
            number @ Json::Number(_) => Some(number),
            _ => None,
        },
        "bool" => match plain(text) {
            boolean @ Json::Bool(_) => Some(boolean),
            _ => None,
        },
        "null" => Some(Json::Null),
        // `!!str` and the rest (`!!binary`, `!!timestamp`…): the text as it is.
        _ => Some(Json::String(text.to_owned())),
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
    fn errors_name_the_place() {
        assert_eq!(
            to_json("a: !Nope x\n").unwrap_err().to_string().split(';').next().unwrap(),
            "line 1 column 4: unknown tag !Nope"
        );
        assert_eq!(
            to_json("a: !GetAtt x\n").unwrap_err().to_string(),
            "line 1 column 4: !GetAtt x: expected Resource.Attribute"
        );
        assert!(to_json("a: [1\n").is_err());
        assert_eq!(to_json("a: 1\n---\nb: 2\n").unwrap_err().message, "more than one YAML document; a template is one");
    }
}
