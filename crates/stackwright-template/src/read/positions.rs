//! Where each value of a read document was written: JSON pointer → line and column, and the
//! keys written twice in one object.

use std::collections::HashMap;
use std::fmt;

/// A place in a template file: 1-based line and column (in characters).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Position {
    /// 1-based line.
    pub line: usize,
    /// 1-based column, in characters.
    pub column: usize,
}

impl Position {
    /// The position at `line` and `column` (both 1-based; 0 is read as 1).
    pub fn new(line: usize, column: usize) -> Self {
        Self { line: line.max(1), column: column.max(1) }
    }
}

/// `line:column`, as compilers print it after a file name.
impl fmt::Display for Position {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.line, self.column)
    }
}

/// The position of every value of a document, by JSON pointer: an object member's is where
/// its key starts, a list item's where the item starts, the document's (`""`) where its first
/// value starts. Of a key written twice, the last (the one whose value is kept).
///
/// Built only when a file is read (`stackwright validate`, `stackwright diff`), never on the
/// synth path: a template built in Rust has no file to point into.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Positions {
    // The default (SipHash) hasher: a template is untrusted input, and a weaker hash would let
    // one crafted to collide make every insertion slow.
    by_pointer: HashMap<String, Position>,
}

impl Positions {
    /// Room for about `values` positions.
    pub(crate) fn with_capacity(values: usize) -> Self {
        Self { by_pointer: HashMap::with_capacity(values) }
    }

    /// The position of exactly this pointer, if it was read.
    pub fn get(&self, pointer: &str) -> Option<Position> {
        self.by_pointer.get(pointer).copied()
    }

    /// The position of `pointer`, or of the closest value that contains it: a finding about a
    /// property that is missing points at the object that lacks it, and one inside a value
    /// copied from a YAML alias points at the alias.
    pub fn locate(&self, pointer: &str) -> Option<Position> {
        let mut at = pointer;
        loop {
            if let Some(position) = self.get(at) {
                return Some(position);
            }
            at = at.get(..at.rfind('/')?)?;
        }
    }

    /// Every position replaced by `f` of it (the lax YAML reader moving them back to the text
    /// as written).
    pub(crate) fn map(&mut self, f: impl Fn(Position) -> Position) {
        for position in self.by_pointer.values_mut() {
            *position = f(*position);
        }
    }

    /// How many values have a position.
    pub fn len(&self) -> usize {
        self.by_pointer.len()
    }

    /// Whether no value has a position.
    pub fn is_empty(&self) -> bool {
        self.by_pointer.is_empty()
    }

    /// Records the position of the member `pointer` of a container that starts at `container`,
    /// and returns the position of the same key written earlier in that container, if any.
    ///
    /// Positions only grow through the text, so a position already recorded for this pointer
    /// at or after the container's start is this container's: the key written twice. One from
    /// before it belongs to another container at the same pointer (the children of a parent
    /// written twice), which is no duplicate.
    pub(crate) fn record(&mut self, pointer: &str, position: Position, container: Position) -> Option<Position> {
        // One hash a value: a pointer seen before is rare (a key written twice).
        let first = self.by_pointer.insert(pointer.to_owned(), position)?;
        (first >= container).then_some(first)
    }
}

/// A key written again in one object (JSON or YAML). CloudFormation accepts the template and
/// keeps the last value, so the earlier ones are silently ignored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DuplicateKey {
    /// The JSON pointer of the member (both occurrences have it).
    pub pointer: String,
    /// The key.
    pub key: String,
    /// Where it is written again.
    pub position: Position,
    /// Where it was written the time before (a value ignored, as this one is if the key
    /// comes once more).
    pub previous: Position,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pointer_without_a_position_falls_back_to_what_contains_it() {
        let mut positions = Positions::default();
        let start = Position::new(1, 1);
        positions.record("", start, start);
        positions.record("/Resources", Position::new(2, 1), start);
        positions.record("/Resources/Topic", Position::new(3, 3), Position::new(2, 12));
        assert_eq!(positions.locate("/Resources/Topic/Properties/Name"), Some(Position::new(3, 3)));
        assert_eq!(positions.locate("/Outputs"), Some(Position::new(1, 1)));
        assert_eq!(positions.get("/Outputs"), None);
        assert_eq!(Positions::default().locate("/Resources"), None);
        assert_eq!(Position::new(0, 0).to_string(), "1:1");
    }

    #[test]
    fn a_key_again_in_one_container_is_a_duplicate_and_the_last_one_counts() {
        // {"A": {"x": 1}, "A": {"x": 2, "x": 3}}: the root starts at 1:1, the A's at 1:7 and 1:22.
        let mut positions = Positions::default();
        let at = |column| Position::new(1, column);
        assert_eq!(positions.record("/A", at(2), at(1)), None);
        assert_eq!(positions.record("/A/x", at(8), at(7)), None);
        assert_eq!(positions.record("/A", at(17), at(1)), Some(at(2)));
        assert_eq!(positions.record("/A/x", at(23), at(22)), None, "the first A's x is another object's");
        assert_eq!(positions.record("/A/x", at(31), at(22)), Some(at(23)));
        assert_eq!(positions.get("/A/x"), Some(at(31)));
        assert_eq!(positions.len(), 2);
    }
}
