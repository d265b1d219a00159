//! One IAM policy statement, normalized for comparison and display, and IAM's wildcard
//! matching.

use std::fmt;

use stackwright_template::Json;

use super::{display, items};

/// One policy statement, normalized for comparison and display. Lists are sorted; `Not*`
/// elements are kept with a `NOT ` prefix so they never compare equal to the positive form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IamStatement {
    /// The statement's `Sid`, if any (not compared).
    pub sid: Option<String>,
    /// `Allow` or `Deny` (`?` when the statement is not a plain object, e.g. an `Fn::If`).
    pub effect: String,
    /// Principals as `Type:value` (`Service:ecs-tasks.amazonaws.com`, `AWS:arn:…`) or `*`.
    pub principals: Vec<String>,
    /// Actions (`ecr:BatchGetImage`); `NOT …` for `NotAction`.
    pub actions: Vec<String>,
    /// Resources (`*`, ARNs, `!GetAtt Repo.Arn`); `NOT …` for `NotResource`.
    pub resources: Vec<String>,
    /// Conditions as `Operator key=value|value`.
    pub conditions: Vec<String>,
}

impl IamStatement {
    /// Normalizes one statement's JSON.
    pub fn from_json(json: &Json) -> Self {
        let Some(map) = json.as_object().filter(|_| !stackwright_template::Intrinsic::is_function_object(json)) else {
            return Self {
                sid: None,
                effect: "?".to_owned(),
                principals: Vec::new(),
                actions: vec![display(json)],
                resources: Vec::new(),
                conditions: Vec::new(),
            };
        };
        let list = |key: &str, negated: &str| {
            let mut out: Vec<String> = items(map.get(key)).into_iter().map(display).collect();
            out.extend(items(map.get(negated)).into_iter().map(|v| format!("NOT {}", display(v))));
            out.sort();
            out.dedup();
            out
        };
        let mut principals = principals(map.get("Principal"), "");
        principals.extend(principals_of_not(map.get("NotPrincipal")));
        principals.sort();
        principals.dedup();
        let mut conditions = Vec::new();
        if let Some(Json::Object(operators)) = map.get("Condition") {
            for (operator, keys) in operators {
                match keys.as_object() {
                    Some(keys) => conditions.extend(keys.iter().map(|(key, values)| {
                        let mut values: Vec<String> = items(Some(values)).into_iter().map(display).collect();
                        values.sort();
                        format!("{operator} {key}={}", values.join("|"))
                    })),
                    None => conditions.push(format!("{operator} {}", display(keys))),
                }
            }
        }
        conditions.sort();
        Self {
            sid: map.get("Sid").map(display),
            effect: map.get("Effect").map_or_else(|| "?".to_owned(), display),
            principals,
            actions: list("Action", "NotAction"),
            resources: list("Resource", "NotResource"),
            conditions,
        }
    }

    pub(super) fn same_access(&self, other: &Self) -> bool {
        self.effect == other.effect
            && self.principals == other.principals
            && self.actions == other.actions
            && self.resources == other.resources
            && self.conditions == other.conditions
    }

    pub(super) fn is_allow(&self) -> bool {
        self.effect != "Deny"
    }
}

impl fmt::Display for IamStatement {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.effect, self.actions.join(", "))?;
        if !self.resources.is_empty() {
            write!(f, " on {}", self.resources.join(", "))?;
        }
        if !self.principals.is_empty() {
            write!(f, " to {}", self.principals.join(", "))?;
        }
        if !self.conditions.is_empty() {
            write!(f, " when {}", self.conditions.join(" and "))?;
        }
        Ok(())
    }
}

fn principals(value: Option<&Json>, prefix: &str) -> Vec<String> {
    match value {
        None => Vec::new(),
        Some(Json::String(s)) if s == "*" => vec![format!("{prefix}*")],
        Some(Json::Object(map))
            if !stackwright_template::Intrinsic::is_function_object(value.unwrap_or(&Json::Null)) =>
        {
            map.iter()
                .flat_map(|(kind, values)| {
                    items(Some(values)).into_iter().map(move |v| {
                        let v = display(v);
                        if kind == "AWS" && v == "*" { format!("{prefix}*") } else { format!("{prefix}{kind}:{v}") }
                    })
                })
                .collect()
        }
        Some(other) => vec![format!("{prefix}{}", display(other))],
    }
}

fn principals_of_not(value: Option<&Json>) -> Vec<String> {
    principals(value, "NOT ")
}

/// Whether `pattern` (with `*` and `?` wildcards) matches `text`.
// invariant: `p[pi]` is read only after `pi < p.len()`, `t[ti]` inside `while ti < t.len()`,
// and `pi` never passes `p.len()` (it grows by one after a check, or returns to a star's `s + 1`).
pub(crate) fn glob(pattern: &str, text: &str) -> bool {
    let (p, t): (Vec<char>, Vec<char>) = (pattern.chars().collect(), text.chars().collect());
    let (mut pi, mut ti, mut star, mut mark) = (0, 0, None, 0);
    while ti < t.len() {
        if pi < p.len() && (p[pi] == '?' || p[pi] == t[ti]) {
            pi += 1;
            ti += 1;
        } else if pi < p.len() && p[pi] == '*' {
            star = Some(pi);
            mark = ti;
            pi += 1;
        } else if let Some(s) = star {
            pi = s + 1;
            mark += 1;
            ti = mark;
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|c| *c == '*')
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn globs_match_like_iam() {
        assert!(glob("s3:*", "s3:GetObject"));
        assert!(glob("*", "anything"));
        assert!(glob("s3:Get*Tagging", "s3:GetObjectTagging"));
        assert!(!glob("s3:Get*", "s3:PutObject"));
        assert!(glob("arn:aws:s3:::b/*", "arn:aws:s3:::b/x/y"));
    }

    #[test]
    fn principals_and_conditions_are_normalized() {
        let statement = IamStatement::from_json(&json!({"Effect": "Allow", "Principal": {"Service": ["b", "a"]},
            "Action": "sts:AssumeRole", "Condition": {"StringEquals": {"aws:SourceAccount": ["2", "1"]}}}));
        assert_eq!(
            statement.to_string(),
            "Allow sts:AssumeRole to Service:a, Service:b when StringEquals aws:SourceAccount=1|2"
        );
    }
}
