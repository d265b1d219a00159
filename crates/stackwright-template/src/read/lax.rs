//! The indentation YAML 1.1 readers do not check. A line inside a flow collection (`{ … }`,
//! `[ … ]`), or a continuation line of a quoted scalar, indented less than the block around
//! it: the YAML 1.2 parser we use refuses both ("invalid indentation", "invalid indentation
//! in quoted scalar"), while cfn-lint's reader (`PyYAML`) takes them, and AWS's own quick
//! starts, which CloudFormation deploys, hold them (a JSON key policy pasted under
//! `KeyPolicy:` with its closing brace at the key's column).
//!
//! Leading white space of those lines is no part of any value (flow tokens are separated by
//! it; a quoted scalar folds it away), so the reader re-indents them and reads again; the
//! positions are then moved back to the text as written.
//!
//! Each retry reads the whole text again, so the retries are bounded twice: by the lines
//! re-indented and by the bytes read again, and a retry that meets the very error it meant to
//! mend ends them. Lines are counted as YAML counts them: a lone `\r` breaks a line too.

use std::collections::BTreeMap;

use super::ReadError;
use super::positions::Position;

/// The most lines re-indented in one document before its error is reported as it stands.
pub(crate) const MAX_REINDENTED: usize = 10_000;
/// The most bytes read again, over all retries (a 20 KB template gets about 800 retries, a
/// 1 MB one 16), so that a text that needs many does not take minutes. The 6,379 files of the
/// diff corpus (docs/DIFF.md) need 64 retries in all, 120 KB at most for one file.
pub(crate) const MAX_REREAD_BYTES: usize = 16 * 1024 * 1024;

/// Lines re-indented: 1-based line number → spaces added in front.
pub(crate) type Pads = BTreeMap<usize, usize>;

/// Reads `text` with `read`, re-indenting the lines the errors above name until it reads or
/// fails otherwise; the error of a text that still fails names the place in `text` as written.
pub(crate) fn read_laxly<T>(
    text: &str,
    mut read: impl FnMut(&str) -> Result<T, ReadError>,
) -> Result<(T, Pads), ReadError> {
    let mut pads = Pads::new();
    let mut current: Option<String> = None;
    let mut reread = 0usize;
    let mut mended: Option<ReadError> = None;
    loop {
        let attempt = current.as_deref().unwrap_or(text);
        let error = match read(attempt) {
            Ok(value) => return Ok((value, pads)),
            Err(error) => error,
        };
        let lines = match error.message.as_str() {
            "invalid indentation" => flow_line(attempt, error.position),
            "invalid indentation in quoted scalar" => quoted_continuation(attempt, error.position),
            _ => Vec::new(),
        };
        reread += attempt.len();
        let no_progress = mended.as_ref().is_some_and(|m| m.message == error.message && m.position == error.position);
        if lines.is_empty() || no_progress || pads.len() + lines.len() > MAX_REINDENTED || reread > MAX_REREAD_BYTES {
            return Err(unshifted(error, &pads));
        }
        current = Some(reindent(attempt, &lines, &mut pads));
        mended = Some(error);
    }
}

/// The position `position` of the re-indented text in the text as written.
pub(crate) fn unshift(position: Position, pads: &Pads) -> Position {
    match pads.get(&position.line) {
        Some(pad) => Position::new(position.line, position.column.saturating_sub(*pad)),
        None => position,
    }
}

fn unshifted(mut error: ReadError, pads: &Pads) -> ReadError {
    error.position = unshift(error.position, pads);
    error
}

/// A line inside a flow collection, indented too little: `(line, spaces to add)`. It gets the
/// indentation of the line above it, or one more space when that is no deeper.
fn flow_line(text: &str, at: Position) -> Vec<(usize, usize)> {
    let indentation = |line: &str| line.chars().take_while(|c| *c == ' ').count();
    let lines: Vec<&str> = lines(text).collect();
    let Some(line) = at.line.checked_sub(1).and_then(|i| lines.get(i)) else { return Vec::new() };
    let above = lines
        .get(..at.line.saturating_sub(1))
        .and_then(|before| before.iter().rev().find(|l| !l.trim().is_empty()))
        .map_or(0, |l| indentation(l));
    let own = indentation(line);
    vec![(at.line, above.saturating_sub(own).max(1))]
}

/// The continuation lines of the quoted scalar that starts at `at`, each to be indented to
/// the scalar's own column (deeper than any block around it).
fn quoted_continuation(text: &str, at: Position) -> Vec<(usize, usize)> {
    let Some(first) = lines(text).nth(at.line.saturating_sub(1)) else { return Vec::new() };
    let mut chars = first.chars().skip(at.column.saturating_sub(1));
    let Some(quote @ ('\'' | '"')) = chars.next() else { return Vec::new() };
    let mut rest: String = chars.collect();
    let mut out = Vec::new();
    let mut line = at.line;
    let mut after = lines(text).skip(at.line);
    loop {
        if closes(&rest, quote) {
            return out;
        }
        let Some(next) = after.next() else { return Vec::new() };
        line += 1;
        out.push((line, at.column));
        next.clone_into(&mut rest);
    }
}

/// Whether a line of a quoted scalar (after its opening quote, on the first line) holds the
/// closing quote: `''` is a quote inside a single-quoted scalar, `\` escapes in a
/// double-quoted one.
fn closes(line: &str, quote: char) -> bool {
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' if quote == '"' => {
                chars.next();
            }
            '\'' if quote == '\'' && chars.peek() == Some(&'\'') => {
                chars.next();
            }
            c if c == quote => return true,
            _ => {}
        }
    }
    false
}

/// The lines of `text` as YAML breaks them (after `\r\n`, `\n` or a lone `\r`), each with its
/// line break.
fn lines_inclusive(text: &str) -> impl Iterator<Item = &str> {
    let bytes = text.as_bytes();
    let mut start = 0;
    std::iter::from_fn(move || {
        if start >= bytes.len() {
            return None;
        }
        let from = start;
        let mut end = from;
        while let Some(byte) = bytes.get(end) {
            match byte {
                b'\n' => {
                    end += 1;
                    break;
                }
                b'\r' => {
                    end += if bytes.get(end + 1) == Some(&b'\n') { 2 } else { 1 };
                    break;
                }
                _ => end += 1,
            }
        }
        start = end;
        // invariant: `from` and `end` sit at the start of the text, after an ASCII line break
        // or at the end, so both are char boundaries.
        Some(&text[from..end])
    })
}

/// The lines of `text` as YAML breaks them, without their line breaks.
fn lines(text: &str) -> impl Iterator<Item = &str> {
    lines_inclusive(text).map(|line| line.trim_end_matches(['\n', '\r']))
}

/// `text` with spaces added in front of `lines`, recorded in `pads`. Line ends are kept as
/// written (`\r\n` and a lone `\r` included).
fn reindent(text: &str, lines: &[(usize, usize)], pads: &mut Pads) -> String {
    let wanted: BTreeMap<usize, usize> = lines.iter().copied().collect();
    let mut out = String::with_capacity(text.len() + lines.iter().map(|(_, n)| n).sum::<usize>());
    for (index, line) in lines_inclusive(text).enumerate() {
        if let Some(spaces) = wanted.get(&(index + 1)) {
            out.extend(std::iter::repeat_n(' ', *spaces));
            *pads.entry(index + 1).or_default() += spaces;
        }
        out.push_str(line);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoted_scalars_end_at_their_closing_quote() {
        assert!(closes("abc' rest", '\''));
        assert!(!closes("it''s", '\''));
        assert!(closes("it''s'", '\''));
        assert!(!closes(r#"say \"hi"#, '"'));
        assert!(!closes(r#"say \"hi\""#, '"'));
        assert!(closes(r#"done""#, '"'));
    }

    #[test]
    fn the_continuation_lines_of_a_quoted_scalar_are_found() {
        let text = "A:\n  B: 'one\n  two\n  three' \nC: 1\n";
        assert_eq!(quoted_continuation(text, Position::new(2, 6)), [(3, 6), (4, 6)]);
        assert_eq!(quoted_continuation("A: 'never closed\n", Position::new(1, 4)), []);
        assert_eq!(quoted_continuation("A: plain\n", Position::new(1, 4)), []);
    }

    #[test]
    fn a_flow_line_takes_the_indentation_above_it() {
        let text = "A:\n  B: {\n      \"x\": 1\n  }\n";
        assert_eq!(flow_line(text, Position::new(4, 3)), [(4, 4)]);
        assert_eq!(flow_line("A: [\n1]\n", Position::new(2, 1)), [(2, 1)]);
    }

    #[test]
    fn lines_break_where_yaml_breaks_them() {
        let text = "a\r\nb\rc\nd";
        assert_eq!(lines_inclusive(text).collect::<Vec<_>>(), ["a\r\n", "b\r", "c\n", "d"]);
        assert_eq!(lines(text).collect::<Vec<_>>(), ["a", "b", "c", "d"]);
        assert_eq!(lines("").count(), 0);
    }

    /// Found by the fuzz target: a lone `\r` inside a quoted scalar, read as a line break by
    /// the parser and not by `str::lines`, made the reader re-indent the wrong lines again and
    /// again, with no end.
    #[test]
    fn a_lone_carriage_return_does_not_send_the_reader_round_for_ever() {
        let text = "A:\n  B: 'one\rtwo\n three\n four'\n";
        let started = std::time::Instant::now();
        let read = crate::read::yaml::to_json(text);
        assert!(started.elapsed().as_secs() < 2, "{:?}", started.elapsed());
        assert_eq!(read.map_err(|e| e.message), Ok(serde_json::json!({"A": {"B": "one two three four"}})));
    }

    #[test]
    fn a_retry_that_meets_the_same_error_ends_the_retries() {
        let mut reads = 0;
        let always = |_: &str| -> Result<(), ReadError> {
            reads += 1;
            Err(ReadError {
                format: super::super::Format::Yaml,
                message: "invalid indentation in quoted scalar".into(),
                position: Position::new(1, 4),
            })
        };
        assert!(read_laxly("A: 'x\ny'\n", always).is_err());
        assert_eq!(reads, 2);
    }

    #[test]
    fn positions_move_back_to_the_text_as_written() {
        let mut pads = Pads::new();
        let text = reindent("a\nb\r\nc\n", &[(2, 3)], &mut pads);
        assert_eq!(text, "a\n   b\r\nc\n");
        assert_eq!(unshift(Position::new(2, 5), &pads), Position::new(2, 2));
        assert_eq!(unshift(Position::new(3, 5), &pads), Position::new(3, 5));
    }
}
