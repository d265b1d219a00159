//! A value printed with its differences marked under the lines they are about, as CDK's
//! failure messages show the closest resource. Only what leads to a difference is printed in
//! full; a sibling object or array is folded to `{…}` / `[…]`, so a large task definition
//! does not drown the one line that differs.

use std::fmt::Write as _;

use serde_json::Value as Json;

use crate::outcome::Failure;

/// `value` as indented JSON, with `!! message` lines for `failures`.
pub(crate) fn annotate(value: &Json, failures: &[Failure]) -> String {
    let mut out = String::new();
    let mut path = Vec::new();
    node(value, &mut path, failures, 0, &mut out);
    out.push('\n');
    let root: Vec<&Failure> = failures.iter().filter(|f| f.path.is_empty()).collect();
    marks(&root, 0, "", &mut out);
    out
}

fn leads_to(path: &[String], failure: &Failure) -> bool {
    failure.path.starts_with(path)
}

/// Prints `value` (its first line already indented by the caller) and its marks.
fn node(value: &Json, path: &mut Vec<String>, failures: &[Failure], depth: usize, out: &mut String) {
    let pad = "  ".repeat(depth);
    let inner_pad = "  ".repeat(depth + 1);
    // Differences about a place below this one that the value does not have (a missing key,
    // the inside of a serialized-JSON string): marked inside this value, or after a scalar.
    let below_missing: Vec<&Failure> = failures
        .iter()
        .filter(|f| f.path.len() > path.len() && f.path.starts_with(path) && !has_child(value, &f.path[path.len()]))
        .collect();
    match value {
        Json::Object(map) if !map.is_empty() => {
            out.push_str("{\n");
            let last = map.len() - 1;
            for (n, (key, child)) in map.iter().enumerate() {
                path.push(key.clone());
                let _ = write!(out, "{inner_pad}{}: ", Json::from(key.as_str()));
                child_line(child, path, failures, depth + 1, n == last, out);
                path.pop();
            }
            marks(&below_missing, path.len(), &inner_pad, out);
            let _ = write!(out, "{pad}}}");
        }
        Json::Array(items) if !items.is_empty() => {
            out.push_str("[\n");
            let last = items.len() - 1;
            for (n, child) in items.iter().enumerate() {
                path.push(n.to_string());
                out.push_str(&inner_pad);
                child_line(child, path, failures, depth + 1, n == last, out);
                path.pop();
            }
            marks(&below_missing, path.len(), &inner_pad, out);
            let _ = write!(out, "{pad}]");
        }
        _ => {
            out.push_str(&value.to_string());
            if !below_missing.is_empty() {
                out.push('\n');
                marks(&below_missing, path.len(), &pad, out);
                out.truncate(out.trim_end_matches('\n').len());
            }
        }
    }
}

/// One entry of an object or array: the value (in full when a difference is inside it,
/// folded otherwise), its comma, and the marks about it.
fn child_line(child: &Json, path: &mut Vec<String>, failures: &[Failure], depth: usize, last: bool, out: &mut String) {
    let inside = failures.iter().any(|f| f.path.len() > path.len() && leads_to(path, f));
    if inside {
        node(child, path, failures, depth, out);
    } else {
        out.push_str(&folded(child));
    }
    out.push_str(if last { "\n" } else { ",\n" });
    let here: Vec<&Failure> = failures.iter().filter(|f| f.path == *path).collect();
    marks(&here, path.len(), &"  ".repeat(depth), out);
}

fn marks(failures: &[&Failure], depth: usize, pad: &str, out: &mut String) {
    for failure in failures {
        let rest = &failure.path[depth.min(failure.path.len())..];
        if rest.is_empty() {
            let _ = writeln!(out, "{pad}!! {}", failure.message);
        } else if let ([key], Some(expected)) = (rest, failure.message.strip_prefix("missing: ")) {
            let _ = writeln!(out, "{pad}!! missing {}: {expected}", Json::from(key.as_str()));
        } else {
            let _ = writeln!(out, "{pad}!! {}: {}", crate::outcome::Path::pointer(rest), failure.message);
        }
    }
}

fn has_child(value: &Json, segment: &str) -> bool {
    match value {
        Json::Object(map) => map.contains_key(segment),
        Json::Array(items) => segment.parse::<usize>().is_ok_and(|n| n < items.len()),
        _ => false,
    }
}

/// A scalar as JSON; a non-empty object or array folded, with its size.
fn folded(value: &Json) -> String {
    match value {
        Json::Object(map) if !map.is_empty() => format!("{{…}} ({})", count(map.len(), "key")),
        Json::Array(items) if !items.is_empty() => format!("[…] ({})", count(items.len(), "element")),
        other => other.to_string(),
    }
}

/// `1 key`, `2 keys`.
pub(crate) fn count(n: usize, noun: &str) -> String {
    if n == 1 { format!("1 {noun}") } else { format!("{n} {noun}s") }
}
