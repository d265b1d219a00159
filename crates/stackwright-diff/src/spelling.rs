//! Strings spelled as functions: `Fn::Sub` and `Fn::Join` build a string from literal text and
//! references, so two spellings of the same pieces are the same value. `!Sub '${X}'` is
//! `!Ref X`, `!Sub '${X.A}'` is `!GetAtt X.A`, a `Fn::Sub` without variables is its text
//! (`${!Literal}` written as `${Literal}`), and `!Sub '${A}-x'` is `!Join ['-', [!Ref A, x]]`.
//!
//! A value is read as a sequence of [`Piece`]s (adjacent text merged, empty text dropped);
//! values that are not string-building calls are single opaque pieces, compared by the caller.

use stackwright_template::Json;

/// One piece of a built string.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Piece<'a> {
    /// Literal text.
    Text(String),
    /// `Ref` of a name.
    Ref(&'a str),
    /// `Fn::GetAtt` of a resource and an attribute (written `Res.Attr` in `Fn::Sub`).
    GetAtt(&'a str, &'a str),
    /// Any other value, compared by the caller.
    Opaque(&'a Json),
}

/// The pieces `json` concatenates, when it is a `Fn::Sub` or a `Fn::Join` of a literal list
/// (the calls whose result is a concatenation); `None` for anything else, or a call that is
/// not well-formed (it is then compared as written).
pub(crate) fn pieces(json: &Json) -> Option<Vec<Piece<'_>>> {
    let object = json.as_object()?;
    if object.len() != 1 {
        return None;
    }
    let mut out = Vec::new();
    if let Some(sub) = object.get("Fn::Sub") {
        push_sub(sub, &mut out)?;
    } else if let Some(join) = object.get("Fn::Join") {
        push_join(join, &mut out)?;
    } else {
        return None;
    }
    Some(merged(out))
}

/// The pieces of any value inside a built string: text, a reference, or a nested
/// concatenation flattened.
fn push_value<'a>(json: &'a Json, out: &mut Vec<Piece<'a>>) {
    match json {
        Json::String(text) => out.push(Piece::Text(text.clone())),
        Json::Number(n) => out.push(Piece::Text(n.to_string())),
        Json::Bool(b) => out.push(Piece::Text(b.to_string())),
        _ => {
            if let Some(nested) = pieces(json) {
                out.extend(nested);
            } else if let Some(piece) = reference(json) {
                out.push(piece);
            } else {
                out.push(Piece::Opaque(json));
            }
        }
    }
}

/// `Ref X` and both forms of `Fn::GetAtt` as pieces.
fn reference(json: &Json) -> Option<Piece<'_>> {
    let object = json.as_object()?;
    if object.len() != 1 {
        return None;
    }
    if let Some(name) = object.get("Ref") {
        return name.as_str().map(Piece::Ref);
    }
    get_att(json).map(|(res, attr)| Piece::GetAtt(res, attr))
}

/// `(resource, attribute)` when `json` is a well-formed `Fn::GetAtt` in either form
/// (`"Res.Attr"`, split at the first dot, or `["Res", "Attr"]`); a computed attribute is not.
pub(crate) fn get_att(json: &Json) -> Option<(&str, &str)> {
    let object = json.as_object().filter(|o| o.len() == 1)?;
    match object.get("Fn::GetAtt")? {
        Json::String(dotted) => dotted.split_once('.'),
        Json::Array(items) => match items.as_slice() {
            [Json::String(res), Json::String(attr)] => Some((res, attr)),
            _ => None,
        },
        _ => None,
    }
}

fn push_sub<'a>(sub: &'a Json, out: &mut Vec<Piece<'a>>) -> Option<()> {
    let (template, variables) = match sub {
        Json::String(template) => (template.as_str(), None),
        Json::Array(items) => match items.as_slice() {
            [Json::String(template), Json::Object(variables)] => (template.as_str(), Some(variables)),
            _ => return None,
        },
        _ => return None,
    };
    let mut rest = template;
    while let Some((text, after)) = rest.split_once("${") {
        let Some((name, tail)) = after.split_once('}') else { break };
        out.push(Piece::Text(text.to_owned()));
        rest = tail;
        let name = name.trim();
        if let Some(literal) = name.strip_prefix('!') {
            // `${!Literal}` is the text `${Literal}`.
            out.push(Piece::Text(format!("${{{literal}}}")));
        } else if let Some(value) = variables.and_then(|v| v.get(name)) {
            push_value(value, out);
        } else if let Some((res, attr)) = name.split_once('.') {
            out.push(Piece::GetAtt(res, attr));
        } else {
            out.push(Piece::Ref(name));
        }
    }
    out.push(Piece::Text(rest.to_owned()));
    Some(())
}

fn push_join<'a>(join: &'a Json, out: &mut Vec<Piece<'a>>) -> Option<()> {
    let [Json::String(delimiter), Json::Array(items)] = join.as_array()?.as_slice() else {
        return None;
    };
    for (index, item) in items.iter().enumerate() {
        if index > 0 {
            out.push(Piece::Text(delimiter.clone()));
        }
        push_value(item, out);
    }
    Some(())
}

/// Adjacent text joined, empty text dropped: the canonical sequence.
fn merged(pieces: Vec<Piece<'_>>) -> Vec<Piece<'_>> {
    let mut out: Vec<Piece<'_>> = Vec::with_capacity(pieces.len());
    for piece in pieces {
        match (out.last_mut(), piece) {
            (_, Piece::Text(text)) if text.is_empty() => {}
            (Some(Piece::Text(last)), Piece::Text(text)) => last.push_str(&text),
            (_, piece) => out.push(piece),
        }
    }
    out
}

/// The pieces of a value that is not a concatenation: a string is its text, a reference is
/// itself; `None` for anything else (compared as written).
pub(crate) fn single(json: &Json) -> Option<Vec<Piece<'_>>> {
    match json {
        Json::String(text) if text.is_empty() => Some(Vec::new()),
        Json::String(text) => Some(vec![Piece::Text(text.clone())]),
        _ => reference(json).map(|piece| vec![piece]),
    }
}
