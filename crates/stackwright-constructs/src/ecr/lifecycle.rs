//! Typed ECR lifecycle rules, rendered to the repository's lifecycle policy JSON.

use serde_json::{Value as Json, json};

use crate::error::Checks;

/// What an ECR lifecycle rule expires.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum LifecycleRule {
    /// Keep the `n` most recently pushed images (any tag status), expire the rest. ECR
    /// evaluates such a rule last, so it must have the highest priority number.
    KeepLast(u32),
    /// Expire untagged images `n` days after they were pushed.
    ExpireUntaggedAfterDays(u32),
    /// Keep the `count` most recent images with a tag starting with one of `prefixes`.
    KeepLastTagged {
        /// Tag prefixes, e.g. `["release-"]`; at least one.
        prefixes: Vec<String>,
        /// How many images to keep, at least 1.
        count: u32,
    },
    /// Expire images with a tag starting with one of `prefixes` `days` days after their push.
    ExpireTaggedAfterDays {
        /// Tag prefixes; at least one.
        prefixes: Vec<String>,
        /// Days after the push, at least 1.
        days: u32,
    },
}

/// A lifecycle rule with its priority: ECR applies rules in increasing priority number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PrioritizedRule {
    /// 1 or more, unique within the repository.
    pub priority: u32,
    /// What the rule expires.
    pub rule: LifecycleRule,
}

impl LifecycleRule {
    fn count(&self) -> u32 {
        match self {
            Self::KeepLast(n) | Self::ExpireUntaggedAfterDays(n) => *n,
            Self::KeepLastTagged { count, .. } => *count,
            Self::ExpireTaggedAfterDays { days, .. } => *days,
        }
    }

    fn prefixes(&self) -> Option<&[String]> {
        match self {
            Self::KeepLastTagged { prefixes, .. } | Self::ExpireTaggedAfterDays { prefixes, .. } => Some(prefixes),
            Self::KeepLast(_) | Self::ExpireUntaggedAfterDays(_) => None,
        }
    }

    fn describe(&self) -> String {
        match self {
            Self::KeepLast(n) => format!("Keep the last {n} images"),
            Self::ExpireUntaggedAfterDays(n) => format!("Expire untagged images {n} days after push"),
            Self::KeepLastTagged { prefixes, count } => {
                format!("Keep the last {count} images tagged {}*", prefixes.join("*, "))
            }
            Self::ExpireTaggedAfterDays { prefixes, days } => {
                format!("Expire images tagged {}* {days} days after push", prefixes.join("*, "))
            }
        }
    }

    fn selection(&self) -> Json {
        let n = self.count();
        let since_push = |tag_status: &str| json!({"tagStatus": tag_status, "countType": "sinceImagePushed", "countUnit": "days", "countNumber": n});
        let more_than =
            |tag_status: &str| json!({"tagStatus": tag_status, "countType": "imageCountMoreThan", "countNumber": n});
        let mut selection = match self {
            Self::KeepLast(_) => more_than("any"),
            Self::ExpireUntaggedAfterDays(_) => since_push("untagged"),
            Self::KeepLastTagged { .. } => more_than("tagged"),
            Self::ExpireTaggedAfterDays { .. } => since_push("tagged"),
        };
        if let Some(prefixes) = self.prefixes()
            && let Some(fields) = selection.as_object_mut()
        {
            fields.insert("tagPrefixList".to_owned(), json!(prefixes));
        }
        selection
    }
}

/// Checks the rules: counts and priorities of at least 1, unique priorities, prefixes given,
/// and a `KeepLast` rule (tag status `any`) evaluated last, as ECR requires.
pub(crate) fn check(rules: &[PrioritizedRule], checks: &mut Checks) {
    let mut seen = std::collections::BTreeSet::new();
    let highest = rules.iter().map(|r| r.priority).max().unwrap_or(0);
    for PrioritizedRule { priority, rule } in rules {
        checks.require(*priority >= 1, "ecr-lifecycle/priority-range", || {
            format!("lifecycle rule priority must be 1 or more, got {priority}")
        });
        checks.require(seen.insert(*priority), "ecr-lifecycle/duplicate-priority", || {
            format!("lifecycle rule priority {priority} is used more than once")
        });
        checks.require(rule.count() >= 1, "ecr-lifecycle/count-range", || {
            format!("lifecycle rule {priority} ({rule:?}) must count at least 1")
        });
        if let Some(prefixes) = rule.prefixes() {
            checks.require(
                !prefixes.is_empty() && prefixes.iter().all(|p| !p.is_empty()),
                "ecr-lifecycle/prefixes",
                || format!("lifecycle rule {priority} needs at least one non-empty tag prefix, got {prefixes:?}"),
            );
        }
        if matches!(rule, LifecycleRule::KeepLast(_)) {
            checks.require(*priority == highest, "ecr-lifecycle/any-last", || {
                format!("lifecycle rule {priority} (KeepLast) applies to every image and must have the highest priority number, {highest} is higher")
            });
        }
    }
}

/// The lifecycle policy text, rules sorted by priority.
pub(crate) fn render(rules: &[PrioritizedRule]) -> String {
    let mut sorted: Vec<&PrioritizedRule> = rules.iter().collect();
    sorted.sort_by_key(|r| r.priority);
    let rules: Vec<Json> = sorted
        .into_iter()
        .map(|r| {
            json!({
                "rulePriority": r.priority,
                "description": r.rule.describe(),
                "selection": r.rule.selection(),
                "action": {"type": "expire"},
            })
        })
        .collect();
    json!({ "rules": rules }).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule(priority: u32, rule: LifecycleRule) -> PrioritizedRule {
        PrioritizedRule { priority, rule }
    }

    #[test]
    fn renders_sorted_rules_with_their_selection() {
        let text = render(&[
            rule(9, LifecycleRule::KeepLast(30)),
            rule(1, LifecycleRule::ExpireUntaggedAfterDays(7)),
            rule(2, LifecycleRule::KeepLastTagged { prefixes: vec!["release-".into()], count: 5 }),
        ]);
        insta::assert_snapshot!(text, @r#"{"rules":[{"action":{"type":"expire"},"description":"Expire untagged images 7 days after push","rulePriority":1,"selection":{"countNumber":7,"countType":"sinceImagePushed","countUnit":"days","tagStatus":"untagged"}},{"action":{"type":"expire"},"description":"Keep the last 5 images tagged release-*","rulePriority":2,"selection":{"countNumber":5,"countType":"imageCountMoreThan","tagPrefixList":["release-"],"tagStatus":"tagged"}},{"action":{"type":"expire"},"description":"Keep the last 30 images","rulePriority":9,"selection":{"countNumber":30,"countType":"imageCountMoreThan","tagStatus":"any"}}]}"#);
    }

    #[test]
    fn every_rule_is_checked() {
        let mut checks = Checks::new(&"Repo");
        check(
            &[
                rule(0, LifecycleRule::ExpireUntaggedAfterDays(0)),
                rule(2, LifecycleRule::KeepLast(3)),
                rule(3, LifecycleRule::ExpireTaggedAfterDays { prefixes: vec![], days: 3 }),
                rule(3, LifecycleRule::ExpireUntaggedAfterDays(1)),
            ],
            &mut checks,
        );
        assert_eq!(
            checks.finish().unwrap_err().to_string(),
            "Repo: lifecycle rule 2 (KeepLast) applies to every image and must have the highest priority number, 3 is higher [ecr-lifecycle/any-last]\n\
             Repo: lifecycle rule 0 (ExpireUntaggedAfterDays(0)) must count at least 1 [ecr-lifecycle/count-range]\n\
             Repo: lifecycle rule priority 3 is used more than once [ecr-lifecycle/duplicate-priority]\n\
             Repo: lifecycle rule 3 needs at least one non-empty tag prefix, got [] [ecr-lifecycle/prefixes]\n\
             Repo: lifecycle rule priority must be 1 or more, got 0 [ecr-lifecycle/priority-range]"
        );
    }
}
