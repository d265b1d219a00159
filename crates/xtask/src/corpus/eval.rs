//! Template values to [`Term`]s, one side (old or new template) at a time.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Map, Value};

use super::term::{Atom, Fresh, Term, Tok, scalar_text};

/// What the judge knows about one side of a pair while reading its values.
pub(crate) struct Side<'a> {
    pub(crate) template: &'a Value,
    /// Parameters whose value may differ from the old side's (new side only: `Default` or
    /// `Type` changed, or the parameter is new).
    pub(crate) perhaps_params: &'a BTreeSet<String>,
    /// Conditions defined the same on both sides.
    pub(crate) stable_conditions: &'a BTreeSet<String>,
    /// Resources whose physical ID and attributes are (perhaps or certainly) new (new side only).
    pub(crate) fresh_resources: &'a BTreeMap<String, Fresh>,
    /// Updated resources whose attributes are whatever their provider returns: nested stacks
    /// (`Outputs.X`) and custom resources. Their `Fn::GetAtt` may change (new side only).
    pub(crate) perhaps_attributes: &'a BTreeSet<String>,
}

impl Side<'_> {
    fn section(&self, name: &str) -> Option<&Map<String, Value>> {
        self.template.get(name).and_then(Value::as_object)
    }

    pub(crate) fn eval(&self, value: &Value) -> Term {
        match value {
            Value::Object(map) if map.len() == 1 => {
                let (key, args) = map.iter().next().expect("one entry");
                if key == "Ref" || key.starts_with("Fn::") {
                    return self.function(key, args);
                }
                Term::Map(map.iter().map(|(k, v)| (k.clone(), self.eval(v))).collect())
            }
            Value::Object(map) => Term::Map(map.iter().map(|(k, v)| (k.clone(), self.eval(v))).collect()),
            Value::Array(items) => {
                Term::List(items.iter().map(|v| self.eval(v)).filter(|t| *t != Term::Absent).collect())
            }
            scalar => Term::text(&scalar_text(scalar).unwrap_or_default()),
        }
    }

    fn function(&self, name: &str, args: &Value) -> Term {
        match (name, args) {
            ("Ref", Value::String(target)) => self.reference(target),
            ("Fn::GetAtt", Value::String(spec)) => match spec.split_once('.') {
                Some((target, attribute)) => self.attribute(target, attribute),
                None => self.generic(name, args),
            },
            ("Fn::GetAtt", Value::Array(parts)) => match &parts[..] {
                [Value::String(target), Value::String(attribute)] => self.attribute(target, attribute),
                _ => self.generic(name, args),
            },
            ("Fn::Sub", Value::String(text)) => self.sub(text, None),
            ("Fn::Sub", Value::Array(parts)) => match &parts[..] {
                [Value::String(text), Value::Object(vars)] => self.sub(text, Some(vars)),
                _ => self.generic(name, args),
            },
            ("Fn::Join", Value::Array(parts)) => match &parts[..] {
                [delimiter, list] => self.join(delimiter, list, args),
                _ => self.generic(name, args),
            },
            ("Fn::If", Value::Array(parts)) => match &parts[..] {
                [Value::String(condition), then, otherwise] => Term::Choice {
                    condition: condition.clone(),
                    stable: self.stable_conditions.contains(condition),
                    then: Box::new(self.eval(then)),
                    otherwise: Box::new(self.eval(otherwise)),
                },
                _ => self.generic(name, args),
            },
            ("Fn::FindInMap", Value::Array(parts)) if parts.len() >= 3 => self.find_in_map(parts, args),
            ("Fn::Select", Value::Array(parts)) => match &parts[..] {
                [index, list] => match (literal(&self.eval(index)), self.eval(list)) {
                    (Some(i), Term::List(items)) => {
                        i.parse::<usize>().ok().and_then(|i| items.get(i).cloned()).unwrap_or(Term::Absent)
                    }
                    _ => self.generic(name, args),
                },
                _ => self.generic(name, args),
            },
            ("Fn::ImportValue", _) => Term::atom(format!("import:{args}"), Fresh::Stable),
            _ => self.generic(name, args),
        }
    }

    fn generic(&self, name: &str, args: &Value) -> Term {
        Term::Func { name: name.to_owned(), args: Box::new(self.eval(args)) }
    }

    fn reference(&self, target: &str) -> Term {
        if target == "AWS::NoValue" {
            return Term::Absent;
        }
        if target.starts_with("AWS::") {
            return Term::atom(target, Fresh::Stable);
        }
        if self.section("Parameters").is_some_and(|p| p.contains_key(target)) {
            let fresh = if self.perhaps_params.contains(target) { Fresh::Perhaps } else { Fresh::Stable };
            return Term::atom(format!("param:{target}"), fresh);
        }
        Term::atom(format!("res:{target}"), self.resource_fresh(target))
    }

    fn attribute(&self, target: &str, attribute: &str) -> Term {
        // A replacement gives the resource a new physical ID, so its identifiers change; other
        // attributes (an instance's availability zone, a DNS name) may stay the same.
        let fresh = match self.resource_fresh(target) {
            Fresh::New if !(attribute.ends_with("Arn") || attribute.ends_with("Id") || attribute.ends_with("ID")) => {
                Fresh::Perhaps
            }
            Fresh::Stable if self.perhaps_attributes.contains(target) => Fresh::Perhaps,
            fresh => fresh,
        };
        Term::atom(format!("res:{target}.{attribute}"), fresh)
    }

    fn resource_fresh(&self, target: &str) -> Fresh {
        self.fresh_resources.get(target).copied().unwrap_or(Fresh::Stable)
    }

    fn sub(&self, text: &str, vars: Option<&Map<String, Value>>) -> Term {
        let mut toks = Vec::new();
        let mut rest = text;
        while let Some(start) = rest.find("${") {
            toks.extend(rest[..start].chars().map(Tok::Char));
            let after = &rest[start + 2..];
            let Some(end) = after.find('}') else {
                toks.extend(rest[start..].chars().map(Tok::Char));
                rest = "";
                break;
            };
            let name = &after[..end];
            if let Some(literal) = name.strip_prefix('!') {
                toks.extend(format!("${{{literal}}}").chars().map(Tok::Char));
            } else {
                let term = match vars.and_then(|v| v.get(name)) {
                    Some(value) => self.eval(value),
                    None => match name.split_once('.') {
                        Some((target, attribute)) => self.attribute(target, attribute),
                        None => self.reference(name),
                    },
                };
                splice(&mut toks, term);
            }
            rest = &after[end + 1..];
        }
        toks.extend(rest.chars().map(Tok::Char));
        Term::Str(toks)
    }

    fn join(&self, delimiter: &Value, list: &Value, args: &Value) -> Term {
        let (Some(delimiter), Term::List(items)) = (literal(&self.eval(delimiter)), self.eval(list)) else {
            return self.generic("Fn::Join", args);
        };
        let mut toks = Vec::new();
        for (i, item) in items.into_iter().enumerate() {
            if i > 0 {
                toks.extend(delimiter.chars().map(Tok::Char));
            }
            splice(&mut toks, item);
        }
        Term::Str(toks)
    }

    fn find_in_map(&self, parts: &[Value], args: &Value) -> Term {
        let keys: Vec<Option<String>> = parts[..3].iter().map(|p| literal(&self.eval(p))).collect();
        let Some(map_name) = &keys[0] else { return self.generic("Fn::FindInMap", args) };
        let Some(mapping) = self.section("Mappings").and_then(|m| m.get(map_name)).and_then(Value::as_object) else {
            return self.generic("Fn::FindInMap", args);
        };
        match (&keys[1], &keys[2]) {
            (Some(top), Some(second)) => mapping
                .get(top)
                .and_then(|row| row.get(second))
                .map_or_else(|| self.generic("Fn::FindInMap", args), |v| self.eval(v)),
            (None, Some(second)) => Term::Table {
                map: format!("{map_name}/*/{second}"),
                key: spell(&self.eval(&parts[1])),
                key_fresh: freshest(&self.eval(&parts[1])),
                rows: mapping
                    .iter()
                    .filter_map(|(key, row)| row.get(second).map(|v| (key.clone(), self.eval(v))))
                    .collect(),
            },
            // Both keys at deploy time: the whole mapping is the argument.
            _ => Term::Func {
                name: "Fn::FindInMap".into(),
                args: Box::new(Term::List(vec![
                    self.eval(&Value::Object(mapping.clone())),
                    self.eval(&parts[1]),
                    self.eval(&parts[2]),
                ])),
            },
        }
    }
}

/// The text of a term known offline.
pub(crate) fn literal(term: &Term) -> Option<String> {
    match term {
        Term::Str(toks) => toks.iter().map(|t| if let Tok::Char(c) = t { Some(*c) } else { None }).collect(),
        _ => None,
    }
}

/// Appends a value to a string being built: its characters and unknowns, or, for a value that
/// is no string (a choice, a list), one unknown standing for it.
fn splice(toks: &mut Vec<Tok>, term: Term) {
    match term {
        Term::Str(inner) => toks.extend(inner),
        Term::Absent => {}
        other => {
            let fresh = freshest(&other);
            toks.push(Tok::Atom(Atom { name: spell(&other), fresh }));
        }
    }
}

/// A term's spelling without the freshness of its unknowns, to name it as one unknown.
fn spell(term: &Term) -> String {
    match term {
        Term::Absent => "~".into(),
        Term::Str(toks) => toks
            .iter()
            .map(|t| match t {
                Tok::Char(c) => c.to_string(),
                Tok::Atom(a) => format!("${{{}}}", a.name),
            })
            .collect(),
        Term::List(items) => format!("[{}]", items.iter().map(spell).collect::<Vec<_>>().join(",")),
        Term::Map(map) => {
            format!("{{{}}}", map.iter().map(|(k, v)| format!("{k}:{}", spell(v))).collect::<Vec<_>>().join(","))
        }
        Term::Choice { condition, then, otherwise, .. } => {
            format!("If({condition},{},{})", spell(then), spell(otherwise))
        }
        Term::Table { map, rows, .. } => {
            format!(
                "Table({map},{})",
                rows.iter().map(|(k, v)| format!("{k}:{}", spell(v))).collect::<Vec<_>>().join(",")
            )
        }
        Term::Func { name, args } => format!("{name}({})", spell(args)),
    }
}

/// The unknowns of a term whose new value may or will differ, by name (`res:Instance`,
/// `param:Env`), for the judge's reasons.
pub(crate) fn fresh_names(term: &Term) -> Vec<String> {
    fn visit(term: &Term, out: &mut Vec<String>) {
        match term {
            Term::Absent => {}
            Term::Str(toks) => {
                for tok in toks {
                    if let Tok::Atom(a) = tok
                        && a.fresh != Fresh::Stable
                    {
                        out.push(a.name.clone());
                    }
                }
            }
            Term::List(items) => items.iter().for_each(|t| visit(t, out)),
            Term::Map(map) => map.values().for_each(|t| visit(t, out)),
            Term::Choice { then, otherwise, .. } => {
                visit(then, out);
                visit(otherwise, out);
            }
            Term::Table { rows, .. } => rows.values().for_each(|t| visit(t, out)),
            Term::Func { args, .. } => visit(args, out),
        }
    }
    let mut out = Vec::new();
    visit(term, &mut out);
    out.sort();
    out.dedup();
    out
}

/// The newest freshness of the unknowns inside a term (it names them with the old side's
/// spelling, so that an unchanged value keeps its name).
fn freshest(term: &Term) -> Fresh {
    fn rank(f: Fresh) -> u8 {
        match f {
            Fresh::Stable => 0,
            Fresh::Perhaps => 1,
            Fresh::New => 2,
        }
    }
    let mut best = Fresh::Stable;
    let mut visit = |f: Fresh| {
        if rank(f) > rank(best) {
            best = f;
        }
    };
    walk(term, &mut visit);
    best
}

fn walk(term: &Term, visit: &mut impl FnMut(Fresh)) {
    match term {
        Term::Absent => {}
        Term::Str(toks) => toks.iter().for_each(|t| {
            if let Tok::Atom(a) = t {
                visit(a.fresh);
            }
        }),
        Term::List(items) => items.iter().for_each(|t| walk(t, visit)),
        Term::Map(map) => map.values().for_each(|t| walk(t, visit)),
        Term::Choice { then, otherwise, .. } => {
            walk(then, visit);
            walk(otherwise, visit);
        }
        Term::Table { rows, .. } => rows.values().for_each(|t| walk(t, visit)),
        Term::Func { args, .. } => walk(args, visit),
    }
}
