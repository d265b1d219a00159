//! No panic reachable from user input in the library crates: outside test code, no `panic!`,
//! `unreachable!`, `todo!`, `unimplemented!`, `assert!` (and its kin), `.unwrap()`,
//! `.expect(..)` or indexing (`x[i]`, `&s[a..b]`), unless a `// invariant: …` comment says why
//! it cannot fire.
//!
//! A marker covers the line it ends, or, as a comment above code, the statement below it (to
//! the first line ending in `;`, `{`, `}` or `,`), or, directly above a `fn`, that function's
//! whole body. Test code is left out: `#[cfg(test)]` items and the files of `#[cfg(test)]`
//! modules. The scan reads the source with comments and literal contents blanked, so a
//! `[` in a string or a `panic!` in a doc comment does not count.
//!
//! Covered: the crates a user's app links (template, cfn — its generated code included —
//! constructs, validate, diff, cli, and the `stackwright` binary) and `stackwright-testing`,
//! whose functions are assertions: panicking with a message is their contract there, so only
//! `.unwrap()`/`.expect(..)` are refused (a failure must say what broke). Not covered: the dev
//! tools (`xtask`, `stackwright-codegen`, `stackwright-schema`), which never see a user's input.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

/// What may panic, by kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Macro,
    Unwrap,
    Index,
}

/// Each library crate and the kinds the scan refuses in it.
const CRATES: &[(&str, &[Kind])] = &[
    ("stackwright-template", &[Kind::Macro, Kind::Unwrap, Kind::Index]),
    ("stackwright-cfn", &[Kind::Macro, Kind::Unwrap, Kind::Index]),
    ("stackwright-constructs", &[Kind::Macro, Kind::Unwrap, Kind::Index]),
    ("stackwright-validate", &[Kind::Macro, Kind::Unwrap, Kind::Index]),
    ("stackwright-registry", &[Kind::Macro, Kind::Unwrap, Kind::Index]),
    ("stackwright-diff", &[Kind::Macro, Kind::Unwrap, Kind::Index]),
    ("stackwright-graph", &[Kind::Macro, Kind::Unwrap, Kind::Index]),
    ("stackwright-manifest", &[Kind::Macro, Kind::Unwrap, Kind::Index]),
    ("stackwright-cli", &[Kind::Macro, Kind::Unwrap, Kind::Index]),
    ("stackwright", &[Kind::Macro, Kind::Unwrap, Kind::Index]),
    ("stackwright-testing", &[Kind::Unwrap]),
];

const MACROS: &[&str] = &[
    "panic!",
    "unreachable!",
    "todo!",
    "unimplemented!",
    "assert!",
    "assert_eq!",
    "assert_ne!",
    "debug_assert!",
    "debug_assert_eq!",
    "debug_assert_ne!",
];
const UNWRAPS: &[&str] = &[".unwrap()", ".unwrap_err()", ".expect(", ".expect_err("];
const MARKER: &str = "// invariant:";

/// `text` with comments and the contents of string and character literals replaced by
/// spaces; every other character (newlines included) stays where it was.
fn strip(text: &str) -> Vec<char> {
    let src: Vec<char> = text.chars().collect();
    let mut out = src.clone();
    let blank = |out: &mut Vec<char>, from: usize, to: usize| {
        for c in out.iter_mut().take(to.min(src.len())).skip(from) {
            if *c != '\n' {
                *c = ' ';
            }
        }
    };
    let at = |i: usize| src.get(i).copied().unwrap_or('\0');
    let ident = |c: char| c.is_alphanumeric() || c == '_';
    // `br"…"`: the `b` before the `r` belongs to the literal.
    let raw_bytes = |i: usize| i >= 1 && at(i - 1) == 'b' && (i == 1 || !ident(at(i - 2)));
    let mut i = 0;
    while i < src.len() {
        let c = at(i);
        if c == '/' && at(i + 1) == '/' {
            let end = (i..src.len()).find(|&j| at(j) == '\n').unwrap_or(src.len());
            blank(&mut out, i, end);
            i = end;
        } else if c == '/' && at(i + 1) == '*' {
            let (mut depth, mut j) = (1, i + 2);
            while j < src.len() && depth > 0 {
                if at(j) == '/' && at(j + 1) == '*' {
                    depth += 1;
                    j += 2;
                } else if at(j) == '*' && at(j + 1) == '/' {
                    depth -= 1;
                    j += 2;
                } else {
                    j += 1;
                }
            }
            blank(&mut out, i, j);
            i = j;
        } else if c == 'r' && (at(i + 1) == '"' || at(i + 1) == '#') && (i == 0 || !ident(at(i - 1)) || raw_bytes(i)) {
            let hashes = (i + 1..src.len()).take_while(|&j| at(j) == '#').count();
            if at(i + 1 + hashes) != '"' {
                i += 1;
                continue;
            }
            let start = i + 2 + hashes;
            let closes = |j: usize| at(j) == '"' && (1..=hashes).all(|k| at(j + k) == '#');
            let end = (start..src.len()).find(|&j| closes(j)).unwrap_or(src.len());
            blank(&mut out, start, end);
            i = end + 1 + hashes;
        } else if c == '"' {
            let mut j = i + 1;
            while j < src.len() && at(j) != '"' {
                j += if at(j) == '\\' { 2 } else { 1 };
            }
            blank(&mut out, i + 1, j);
            i = j + 1;
        } else if c == '\'' && at(i + 1) == '\\' {
            // `'\n'`, `'\''`, `'\u{…}'`: the escaped character is never the closing quote.
            let end = (i + 3..src.len()).find(|&j| at(j) == '\'').unwrap_or(src.len());
            blank(&mut out, i + 1, end);
            i = end + 1;
        } else if c == '\'' && at(i + 2) == '\'' {
            blank(&mut out, i + 1, i + 2);
            i += 3;
        } else {
            i += 1;
        }
    }
    out
}

/// The index just past the item starting at `from` (its `;`, or its `{ … }` block).
fn item_end(code: &[char], from: usize) -> usize {
    let Some(open) = (from..code.len()).find(|&i| code[i] == ';' || code[i] == '{') else { return code.len() };
    if code[open] == ';' {
        return open + 1;
    }
    let mut depth = 0usize;
    for (i, &c) in code.iter().enumerate().skip(open) {
        match c {
            '{' => depth += 1,
            '}' => {
                depth -= 1;
                if depth == 0 {
                    return i + 1;
                }
            }
            _ => {}
        }
    }
    code.len()
}

/// Blanks every `#[cfg(test)]` item; returns the files of test modules declared `mod x;`.
fn remove_test_code(path: &Path, original: &[char], code: &mut [char]) -> Vec<PathBuf> {
    let needle: Vec<char> = "#[cfg(test)]".chars().collect();
    let mut files = Vec::new();
    let mut i = 0;
    while i + needle.len() <= code.len() {
        if code[i..i + needle.len()] != needle[..] {
            i += 1;
            continue;
        }
        let end = item_end(code, i + needle.len());
        let item: String = original[i..end].iter().collect();
        if let Some(declared) = test_module_file(path, &item) {
            files.push(declared);
        }
        for c in &mut code[i..end] {
            if *c != '\n' {
                *c = ' ';
            }
        }
        i = end;
    }
    files
}

/// The file of `#[cfg(test)] mod name;` (or `#[path = "…"] mod name;`) declared in `path`.
fn test_module_file(path: &Path, item: &str) -> Option<PathBuf> {
    let item = item.trim_end();
    if !item.ends_with(';') {
        return None;
    }
    let dir = path.parent()?;
    if let Some((_, rest)) = item.split_once("#[path = \"") {
        return Some(dir.join(rest.split_once('"')?.0));
    }
    let name = item.rsplit_once("mod ")?.1.trim_end_matches(';').trim();
    let stem = path.file_stem()?.to_str()?;
    let module_dir = if ["mod", "lib", "main"].contains(&stem) { dir.to_path_buf() } else { dir.join(stem) };
    let file = module_dir.join(format!("{name}.rs"));
    Some(if file.exists() { file } else { module_dir.join(name).join("mod.rs") })
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in fs::read_dir(dir).expect("a readable source directory") {
        let path = entry.expect("a directory entry").path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The lines a marker covers, per line.
fn covered(original: &[&str], code: &[&str]) -> Vec<bool> {
    let mut covered = vec![false; original.len()];
    let is_comment = |n: usize| original.get(n).is_some_and(|l| l.trim_start().starts_with("//"));
    for (n, line) in original.iter().enumerate() {
        if !line.contains(MARKER) || code[n].contains("invariant") {
            continue;
        }
        if !code[n].trim().is_empty() {
            covered[n] = true; // a trailing comment: this line
            continue;
        }
        let mut next = n;
        while is_comment(next) || original.get(next).is_some_and(|l| l.trim_start().starts_with("#[")) {
            next += 1;
        }
        let Some(first) = code.get(next) else { continue };
        let head = first.trim_start();
        let starts_fn = head.starts_with("fn ") || head.contains(" fn ");
        let last = if starts_fn {
            let (mut opened, mut closed, mut end) = (0usize, 0usize, next);
            for (k, text) in code.iter().enumerate().skip(next) {
                opened += text.matches('{').count();
                closed += text.matches('}').count();
                end = k;
                if closed >= opened && text.contains('}') {
                    break;
                }
            }
            end
        } else {
            (next..code.len()).find(|&k| code[k].trim_end().ends_with([';', '{', '}', ','])).unwrap_or(code.len() - 1)
        };
        for flag in covered.iter_mut().take(last + 1).skip(n) {
            *flag = true;
        }
    }
    covered
}

/// The places on one stripped line that may panic, with their kind.
fn findings(line: &str) -> Vec<(Kind, String)> {
    let mut found = Vec::new();
    let chars: Vec<char> = line.chars().collect();
    for name in MACROS {
        for (at, _) in line.match_indices(name) {
            let before = line[..at].chars().next_back();
            if !before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
                found.push((Kind::Macro, (*name).to_owned()));
            }
        }
    }
    for call in UNWRAPS {
        if line.contains(call) {
            found.push((Kind::Unwrap, (*call).to_owned()));
        }
    }
    for (i, pair) in chars.windows(2).enumerate() {
        let indexes = pair[1] == '[' && (pair[0].is_alphanumeric() || "_)]".contains(pair[0]));
        // `x[..]` (the whole range) cannot panic.
        let full_range = chars.get(i + 2..i + 5).is_some_and(|rest| rest == ['.', '.', ']']);
        if indexes && !full_range {
            found.push((Kind::Index, "indexing".to_owned()));
        }
    }
    found
}

#[test]
fn library_code_has_no_unmarked_panic() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut offences = Vec::new();
    let mut scanned = 0;
    for (name, kinds) in CRATES {
        let mut files = Vec::new();
        rust_files(&root.join(name).join("src"), &mut files);
        let mut texts = Vec::new();
        let mut test_files = BTreeSet::new();
        for file in files {
            let text = fs::read_to_string(&file).expect("a source file");
            let original: Vec<char> = text.chars().collect();
            let mut code = strip(&text);
            test_files.extend(remove_test_code(&file, &original, &mut code));
            texts.push((file, text, code.into_iter().collect::<String>()));
        }
        for (file, text, code) in texts.iter().filter(|(file, _, _)| !test_files.contains(file)) {
            scanned += 1;
            let original: Vec<&str> = text.lines().collect();
            let code: Vec<&str> = code.lines().collect();
            let covered = covered(&original, &code);
            for (n, line) in code.iter().enumerate() {
                let mut what: Vec<String> = findings(line)
                    .into_iter()
                    .filter(|(kind, _)| kinds.contains(kind) && !covered[n])
                    .map(|(_, what)| what)
                    .collect();
                what.dedup();
                if !what.is_empty() {
                    let shown = file.strip_prefix(&root).unwrap_or(file).display().to_string();
                    offences.push(format!("crates/{shown}:{}: {}: {}", n + 1, what.join(", "), original[n].trim()));
                }
            }
        }
    }
    assert!(scanned > 100, "scanned only {scanned} files: is the walk broken?");
    assert!(
        offences.is_empty(),
        "{} possible panics without an `{MARKER} …` comment saying why they cannot fire \
         (return an error instead, or prove it):\n{}",
        offences.len(),
        offences.join("\n")
    );
}

#[test]
fn the_scanner_sees_through_comments_and_strings_and_skips_tests() {
    let text = "fn f(v: &[u8]) -> u8 {\n    // v[0] in a comment\n    let s = \"x[1] panic!\";\n    v[0]\n}\n\
                #[cfg(test)]\nmod tests {\n    fn t() { None::<u8>.unwrap(); }\n}\n";
    let original: Vec<char> = text.chars().collect();
    let mut code = strip(text);
    remove_test_code(Path::new("src/lib.rs"), &original, &mut code);
    let code: String = code.into_iter().collect();
    let found: Vec<(usize, Kind)> =
        code.lines().enumerate().flat_map(|(n, l)| findings(l).into_iter().map(move |(k, _)| (n + 1, k))).collect();
    assert_eq!(found, [(4, Kind::Index)]);
}

#[test]
fn markers_cover_a_line_a_statement_or_a_function() {
    let text = "\
fn a(v: &[u8]) -> u8 {
    v[0] // invariant: callers pass a non-empty slice
}
fn b(v: &[u8]) -> u8 {
    // invariant: checked just above
    let x = v
        [0];
    v[1]
}
// invariant: every index is below len
pub(crate) fn c(v: &[u8]) -> u8 {
    v[0] + v[1]
}
fn d(v: &[u8]) -> u8 {
    v[0]
}
";
    let code: String = strip(text).into_iter().collect();
    let original: Vec<&str> = text.lines().collect();
    let code: Vec<&str> = code.lines().collect();
    let covered = covered(&original, &code);
    let unmarked: Vec<usize> =
        (0..code.len()).filter(|&n| !findings(code[n]).is_empty() && !covered[n]).map(|n| n + 1).collect();
    assert_eq!(unmarked, [8, 15], "only b's second index and d's are unmarked");
}

#[test]
fn test_module_files_are_found() {
    let dir = Path::new("crates/x/src");
    assert_eq!(
        test_module_file(&dir.join("a.rs"), "#[cfg(test)]\n#[path = \"a_tests.rs\"]\nmod tests;"),
        Some(dir.join("a_tests.rs"))
    );
    assert_eq!(test_module_file(&dir.join("a.rs"), "#[cfg(test)]\nmod tests;"), Some(dir.join("a/tests/mod.rs")));
    assert_eq!(test_module_file(&dir.join("a.rs"), "#[cfg(test)]\nmod tests {}"), None);
}
