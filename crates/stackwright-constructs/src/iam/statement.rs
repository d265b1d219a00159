//! Typed IAM policy statements: named actions, scoped resources, no wildcards by accident.

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use stackwright_template::{Json, Value, fns};

use crate::error::{Checks, Error};

/// An IAM action such as `ecr:BatchGetImage`. Wildcards (`*`, `ecr:*`, `ecr:Get*`) cannot be
/// written: every permission is named.
///
/// ```
/// use stackwright_constructs::iam::Action;
/// // Known when the program is compiled: checked at compile time.
/// const PULL: Action = Action::from_static("ecr:BatchGetImage");
/// // Read at run time: checked then, an error rather than a panic.
/// let from_config = Action::new(String::from("sqs:SendMessage"))?;
/// assert!(Action::new("sqs:*").is_err());
/// # assert_eq!((PULL.as_str(), from_config.as_str()), ("ecr:BatchGetImage", "sqs:SendMessage"));
/// # Ok::<(), stackwright_constructs::Error>(())
/// ```
///
/// ```compile_fail,E0080
/// # use stackwright_constructs::iam::Action;
/// const EVERYTHING: Action = Action::from_static("sqs:*"); // refused when compiling
/// ```
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Action(Cow<'static, str>);

impl Action {
    /// An action named by a value known only at run time; an [`Error::Invalid`] naming the
    /// rule `iam/action` unless it is `service:Action` (letters, digits and `-`) without a
    /// wildcard.
    pub fn new(name: impl Into<String>) -> Result<Self, Error> {
        let name = name.into();
        let mut checks = Checks::new(&"iam::Action");
        checks.require(is_named_action(&name), "iam/action", || {
            format!(
                "an IAM action must be `service:Action` (letters, digits and -) without wildcards (* or ?), got {name:?}"
            )
        });
        checks.finish()?;
        Ok(Self(Cow::Owned(name)))
    }

    /// An action known when the program is compiled. Used in a `const` (as every action of
    /// this crate is), the check runs at compile time and a wildcard does not build; for a
    /// name known only at run time, use [`Action::new`].
    ///
    /// # Panics
    ///
    /// Evaluated at run time (outside a `const`), when `name` is not `service:Action` or holds
    /// a wildcard.
    pub const fn from_static(name: &'static str) -> Self {
        // invariant: a compile-time check. In a `const` item a bad literal fails the build;
        // run-time names go through `Action::new`, which returns an error instead.
        assert!(is_named_action(name), "an IAM action is `service:Action`, without wildcards");
        Self(Cow::Borrowed(name))
    }

    /// The action as written in a policy.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

const fn is_named_action(name: &str) -> bool {
    let bytes = name.as_bytes();
    let Some((&first, _)) = bytes.split_first() else { return false };
    let Some((&last, _)) = bytes.split_last() else { return false };
    let mut colons = 0;
    let mut rest = bytes;
    while let Some((&byte, tail)) = rest.split_first() {
        match byte {
            b'*' | b'?' => return false,
            b':' => colons += 1,
            b if !(b.is_ascii_alphanumeric() || b == b'-') => return false,
            _ => {}
        }
        rest = tail;
    }
    colons == 1 && bytes.len() > 2 && first != b':' && last != b':'
}

impl fmt::Display for Action {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Every action of a service, which only a `Deny` statement may name (e.g. a bucket policy
/// refusing every request made without TLS).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum DenyAll {
    /// `s3:*`.
    S3,
    /// `sns:*`.
    Sns,
}

impl DenyAll {
    fn action(self) -> Action {
        // Built directly: the one place a wildcard is written, for a `Deny`.
        Action(Cow::Borrowed(match self {
            Self::S3 => "s3:*",
            Self::Sns => "sns:*",
        }))
    }
}

/// Who a resource policy or trust policy applies to.
#[derive(Debug, Clone, PartialEq)]
pub enum Principal {
    /// An AWS service, e.g. `ecs-tasks.amazonaws.com`.
    Service(Value<String>),
    /// An IAM ARN (role, user, account root).
    Aws(Value<String>),
}

impl Principal {
    /// An AWS service principal.
    pub fn service(name: impl Into<Value<String>>) -> Self {
        Self::Service(name.into())
    }

    /// A regional service principal, e.g. `logs.<region>.amazonaws.com` (`amazonaws.com.cn` in
    /// the China Regions: the partition's URL suffix).
    pub fn regional_service(service: &str) -> Self {
        Self::Service(fns::sub(format!("{service}.${{AWS::Region}}.${{AWS::URLSuffix}}")))
    }

    /// The account the stack is deployed in (its root), which lets IAM policies in the account
    /// grant access to a key or resource.
    pub fn this_account() -> Self {
        Self::Aws(fns::sub("arn:${AWS::Partition}:iam::${AWS::AccountId}:root"))
    }

    fn kind(&self) -> &'static str {
        match self {
            Self::Service(_) => "Service",
            Self::Aws(_) => "AWS",
        }
    }

    fn into_value(self) -> Json {
        match self {
            Self::Service(v) | Self::Aws(v) => v.into_json(),
        }
    }
}

/// `Allow` or `Deny`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Effect {
    /// Grants.
    Allow,
    /// Forbids, overriding any allow.
    Deny,
}

/// What a statement applies to.
#[derive(Debug, Clone, PartialEq)]
enum Resources {
    Listed(Vec<Value<String>>),
    /// `"*"`, only where AWS requires it; the reason is kept next to it in the code.
    All,
}

/// One IAM policy statement.
///
/// ```
/// use stackwright_constructs::iam::{Action, Statement};
/// const PULL: Action = Action::from_static("ecr:BatchGetImage");
/// let s = Statement::allow([PULL]).on("arn:aws:ecr:eu-west-1:111122223333:repository/app");
/// assert_eq!(s.to_json()["Action"], "ecr:BatchGetImage");
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Statement {
    sid: Option<String>,
    effect: Effect,
    principals: Vec<Principal>,
    actions: Vec<Action>,
    resources: Resources,
    conditions: BTreeMap<String, BTreeMap<String, Json>>,
}

impl Statement {
    /// Allows `actions` (on resources still to be given with [`Statement::on`]).
    pub fn allow(actions: impl IntoIterator<Item = Action>) -> Self {
        Self::with_effect(Effect::Allow, actions)
    }

    /// Denies `actions`.
    pub fn deny(actions: impl IntoIterator<Item = Action>) -> Self {
        Self::with_effect(Effect::Deny, actions)
    }

    /// Denies every action of a service. Wildcards are only writable here: denying broadly
    /// narrows access, allowing broadly is what the named [`Action`]s prevent.
    pub fn deny_every_action_of(service: DenyAll) -> Self {
        Self::with_effect(Effect::Deny, [service.action()])
    }

    fn with_effect(effect: Effect, actions: impl IntoIterator<Item = Action>) -> Self {
        let mut actions: Vec<Action> = actions.into_iter().collect();
        actions.sort_unstable();
        actions.dedup();
        Self {
            sid: None,
            effect,
            principals: Vec::new(),
            actions,
            resources: Resources::Listed(Vec::new()),
            conditions: BTreeMap::new(),
        }
    }

    /// Adds a resource (an ARN, or an intrinsic producing one).
    #[must_use]
    pub fn on(mut self, resource: impl Into<Value<String>>) -> Self {
        let resource = resource.into();
        if let Resources::Listed(list) = &mut self.resources
            && !list.contains(&resource)
        {
            list.push(resource);
        }
        self
    }

    /// Applies to every resource (`"Resource": "*"`). Only for actions that have no resource
    /// (e.g. `ecr:GetAuthorizationToken`) or policies attached to one resource (a key policy's
    /// `*` means that key); callers say which in a comment.
    #[must_use]
    pub fn on_all_resources(mut self) -> Self {
        self.resources = Resources::All;
        self
    }

    /// Adds a principal (resource and trust policies).
    #[must_use]
    pub fn principal(mut self, principal: Principal) -> Self {
        if !self.principals.contains(&principal) {
            self.principals.push(principal);
        }
        self
    }

    /// Adds a condition, e.g. `("Bool", "aws:SecureTransport", false)`.
    #[must_use]
    pub fn condition(mut self, operator: &str, key: &str, value: impl Into<Json>) -> Self {
        self.conditions.entry(operator.to_owned()).or_default().insert(key.to_owned(), value.into());
        self
    }

    /// A statement id: a short name saying why the statement is there.
    #[must_use]
    pub fn sid(mut self, sid: impl Into<String>) -> Self {
        self.sid = Some(sid.into());
        self
    }

    /// The actions, sorted.
    pub fn actions(&self) -> &[Action] {
        &self.actions
    }

    /// The statement's effect.
    pub fn effect(&self) -> Effect {
        self.effect
    }

    /// Whether the statement applies to every resource.
    pub fn is_on_all_resources(&self) -> bool {
        self.resources == Resources::All
    }

    /// Whether `other` differs from this one only by its actions, so the two can be one.
    fn merges_with(&self, other: &Self) -> bool {
        self.sid == other.sid
            && self.effect == other.effect
            && self.principals == other.principals
            && self.resources == other.resources
            && self.conditions == other.conditions
    }

    /// The statement as policy JSON. A single action, resource or principal is written as a
    /// scalar, the way AWS writes them.
    pub fn to_json(&self) -> Json {
        self.clone().into_json()
    }

    /// The statement as policy JSON, consuming it: its values are moved into the result.
    pub fn into_json(self) -> Json {
        // Built value by value: `json!` would serialize each part again into a copy.
        let mut out = serde_json::Map::new();
        if let Some(sid) = self.sid {
            out.insert("Sid".into(), Json::String(sid));
        }
        out.insert("Effect".into(), Json::from(if self.effect == Effect::Allow { "Allow" } else { "Deny" }));
        if !self.principals.is_empty() {
            let mut by_kind: BTreeMap<&str, Vec<Json>> = BTreeMap::new();
            for p in self.principals {
                by_kind.entry(p.kind()).or_default().push(p.into_value());
            }
            let principal: serde_json::Map<String, Json> =
                by_kind.into_iter().map(|(k, v)| (k.to_owned(), scalar_or_list(v))).collect();
            out.insert("Principal".into(), Json::Object(principal));
        }
        out.insert("Action".into(), scalar_or_list(self.actions.iter().map(|a| Json::from(a.as_str())).collect()));
        let resource = match self.resources {
            Resources::All => Json::from("*"),
            Resources::Listed(list) => scalar_or_list(list.into_iter().map(Value::into_json).collect()),
        };
        out.insert("Resource".into(), resource);
        if !self.conditions.is_empty() {
            let conditions = self
                .conditions
                .into_iter()
                .map(|(operator, keys)| (operator, Json::Object(keys.into_iter().collect())));
            out.insert("Condition".into(), Json::Object(conditions.collect()));
        }
        Json::Object(out)
    }
}

fn scalar_or_list(mut items: Vec<Json>) -> Json {
    if items.len() == 1 { items.remove(0) } else { Json::Array(items) }
}

/// A policy document: statements in the order they were added, statements that differ only
/// by actions merged into one.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct PolicyDocument {
    statements: Vec<Statement>,
}

impl PolicyDocument {
    /// An empty document.
    pub fn new() -> Self {
        Self::default()
    }

    /// A document holding `statements`.
    pub fn from_statements(statements: impl IntoIterator<Item = Statement>) -> Self {
        let mut document = Self::new();
        for s in statements {
            document.add(s);
        }
        document
    }

    /// Adds a statement, merging it into an earlier one that differs only by actions.
    pub fn add(&mut self, statement: Statement) {
        if let Some(existing) = self.statements.iter_mut().find(|s| s.merges_with(&statement)) {
            existing.actions.extend(statement.actions);
            existing.actions.sort_unstable();
            existing.actions.dedup();
        } else {
            self.statements.push(statement);
        }
    }

    /// Whether it has no statement.
    pub fn is_empty(&self) -> bool {
        self.statements.is_empty()
    }

    /// The statements.
    pub fn statements(&self) -> &[Statement] {
        &self.statements
    }

    /// The document as policy JSON. A statement id used twice gets a number (`Sid2`, `Sid3`…):
    /// some services reject a policy whose ids repeat.
    pub fn to_json(&self) -> Json {
        self.clone().into_json()
    }

    /// The document as policy JSON, consuming it: its statements are moved into the result
    /// (how a finished stack writes the policies it no longer needs).
    pub fn into_json(self) -> Json {
        // A number is never one another statement was written with (`A`, `A`, `A2` gives `A`,
        // `A3`, `A2`).
        let written: BTreeSet<String> = self.statements.iter().filter_map(|s| s.sid.clone()).collect();
        let mut taken: BTreeSet<String> = BTreeSet::new();
        let statements: Vec<Json> = self
            .statements
            .into_iter()
            .map(|mut statement| {
                if let Some(sid) = statement.sid.take() {
                    let unique = if taken.contains(&sid) {
                        // One more candidate than there are ids in use, so one of them is free.
                        (2..=written.len() + taken.len() + 2)
                            .map(|n| format!("{sid}{n}"))
                            .find(|candidate| !written.contains(candidate) && !taken.contains(candidate))
                            .unwrap_or_default()
                    } else {
                        sid
                    };
                    taken.insert(unique.clone());
                    statement.sid = Some(unique);
                }
                statement.into_json()
            })
            .collect();
        // The statements are moved in: `json!` would serialize them into a copy first.
        let mut document = serde_json::Map::new();
        document.insert("Version".to_owned(), Json::from("2012-10-17"));
        document.insert("Statement".to_owned(), Json::Array(statements));
        Json::Object(document)
    }
}

#[cfg(test)]
#[path = "statement_tests.rs"]
mod tests;
