//! Where each key path of a manifest is, for the problems found after serde has read it: the
//! manifest's own rules and the constructs' rules are reported at the line that set the value.
//! Built from the YAML parser's events (the parser the reader uses), only when there is a
//! problem to place, and only for a document the reader accepted (its budgets applied).

use std::collections::HashMap;

use serde_saphyr::granit_parser::{Event, Parser};

use crate::error::Position;

/// Key path → the position of its key (or, for a sequence item, of the item).
#[derive(Debug, Default)]
pub(crate) struct Spans {
    positions: HashMap<String, Position>,
}

enum Frame {
    Map { path: String, key: Option<String> },
    Seq { path: String, index: usize },
}

impl Spans {
    pub(crate) fn of(text: &str) -> Self {
        let mut positions = HashMap::new();
        let mut stack: Vec<Frame> = Vec::new();
        for item in Parser::new_from_str(text) {
            let Ok((event, span)) = item else { break };
            let position = Position {
                line: u64::try_from(span.start.line()).unwrap_or(u64::MAX),
                column: u64::try_from(span.start.col()).unwrap_or(u64::MAX).saturating_add(1),
            };
            match event {
                Event::Scalar(value, ..) => {
                    if let Some(Frame::Map { path, key: key @ None }) = stack.last_mut() {
                        let child = join_key(path, &value);
                        positions.entry(child).or_insert(position);
                        *key = Some(value.into_owned());
                    } else {
                        value_done(&mut stack, &mut positions, position);
                    }
                }
                Event::Alias(_) => value_done(&mut stack, &mut positions, position),
                Event::MappingStart(..) | Event::SequenceStart(..) => {
                    let path = child_path(&stack);
                    if let Some(Frame::Seq { .. }) = stack.last() {
                        positions.entry(path.clone()).or_insert(position);
                    }
                    if path.is_empty() {
                        positions.entry(String::new()).or_insert(position);
                    }
                    stack.push(if matches!(event, Event::MappingStart(..)) {
                        Frame::Map { path, key: None }
                    } else {
                        Frame::Seq { path, index: 0 }
                    });
                }
                Event::MappingEnd | Event::SequenceEnd => {
                    stack.pop();
                    advance(&mut stack);
                }
                _ => {}
            }
        }
        Self { positions }
    }

    /// The position of `path`, or of its nearest ancestor that has one.
    pub(crate) fn find(&self, path: &str) -> Position {
        let mut path = path;
        loop {
            if let Some(position) = self.positions.get(path) {
                return *position;
            }
            match path.rfind(['.', '[']) {
                Some(cut) => path = path.get(..cut).unwrap_or_default(),
                None => return self.positions.get("").copied().unwrap_or(Position::START),
            }
        }
    }
}

fn join_key(parent: &str, key: &str) -> String {
    if parent.is_empty() { key.to_owned() } else { format!("{parent}.{key}") }
}

/// The path of the node that the next event starts, under the innermost frame.
fn child_path(stack: &[Frame]) -> String {
    match stack.last() {
        None => String::new(),
        Some(Frame::Map { path, key }) => join_key(path, key.as_deref().unwrap_or("?")),
        Some(Frame::Seq { path, index }) => format!("{path}[{index}]"),
    }
}

fn value_done(stack: &mut [Frame], positions: &mut HashMap<String, Position>, position: Position) {
    if let Some(Frame::Seq { .. }) = stack.last() {
        positions.entry(child_path(stack)).or_insert(position);
    }
    advance(stack);
}

/// A value ended: the innermost map expects a key again, the innermost sequence its next item.
fn advance(stack: &mut [Frame]) {
    match stack.last_mut() {
        Some(Frame::Map { key, .. }) => *key = None,
        Some(Frame::Seq { index, .. }) => *index += 1,
        None => {}
    }
}
