//! The text format's Security section: IAM statement changes, then security-group rule
//! changes, each with its direction and reasons.

use std::fmt::Write as _;

use super::text::Writer;
use crate::security::{ChangeKind, Downgrade, IamChange, SecurityChanges, SgRuleChange};

impl Writer {
    pub(super) fn security(&self, out: &mut String, security: &SecurityChanges) {
        if security.is_empty() {
            return;
        }
        out.push_str("Security\n");
        if !security.iam.is_empty() {
            out.push_str("  IAM\n");
            for change in &security.iam {
                self.iam(out, change);
            }
        }
        if !security.security_groups.is_empty() {
            out.push_str("  Security groups\n");
            for change in &security.security_groups {
                self.sg(out, change);
            }
        }
        if !security.downgrades.is_empty() {
            out.push_str("  Downgrades\n");
            for downgrade in &security.downgrades {
                self.downgrade(out, downgrade);
            }
        }
    }

    fn downgrade(&self, out: &mut String, downgrade: &Downgrade) {
        let _ = writeln!(
            out,
            "{} {} ({}) {}: {}",
            self.marker("[!]"),
            downgrade.resource,
            downgrade.resource_type,
            downgrade.category,
            downgrade.message
        );
        let show = |value: Option<&stackwright_template::Json>| {
            value.map_or_else(|| "(not set)".to_owned(), |v| serde_json::to_string(v).unwrap_or_default())
        };
        let _ = writeln!(
            out,
            "    ~ {}: {} -> {}",
            downgrade.path,
            show(downgrade.old.as_ref()),
            show(downgrade.new.as_ref())
        );
    }

    fn head(&self, out: &mut String, kind: ChangeKind, what: &str, direction: &str) {
        let marker = match kind {
            ChangeKind::Added => "[+]",
            ChangeKind::Removed => "[-]",
            ChangeKind::Changed => "[~]",
        };
        let direction = if direction == "broadening" { self.marker_broad() } else { direction.to_owned() };
        let _ = writeln!(out, "{} {what}: {direction}", self.marker(marker));
    }

    fn marker_broad(&self) -> String {
        if self.options.color { "\u{1b}[1;31mbroadening\u{1b}[0m".to_owned() } else { "broadening".to_owned() }
    }

    fn lines_of(&self, out: &mut String, old: Option<String>, new: Option<String>, reasons: &[String]) {
        if let Some(old) = old {
            let _ = writeln!(out, "    {} {old}", self.marker("-"));
        }
        if let Some(new) = new {
            let _ = writeln!(out, "    {} {new}", self.marker("+"));
        }
        for reason in reasons {
            let _ = writeln!(out, "    {} {reason}", self.marker("!"));
        }
    }

    fn iam(&self, out: &mut String, change: &IamChange) {
        let what = format!("{} ({}) {}", change.resource, change.resource_type, change.policy);
        self.head(out, change.kind, &what, change.direction.as_str());
        let (old, new) = match &change.managed_policy {
            Some(arn) if change.kind == ChangeKind::Removed => (Some(arn.clone()), None),
            Some(arn) => (None, Some(arn.clone())),
            None => (change.old.as_ref().map(ToString::to_string), change.new.as_ref().map(ToString::to_string)),
        };
        let reasons = if change.managed_policy.is_some() { &[][..] } else { &change.reasons[..] };
        self.lines_of(out, old, new, reasons);
    }

    fn sg(&self, out: &mut String, change: &SgRuleChange) {
        let mut what = format!("{} ({})", change.resource, change.resource_type);
        if change.resource_type != "AWS::EC2::SecurityGroup" {
            let group = change.new.as_ref().or(change.old.as_ref()).map(|r| r.group.as_str()).unwrap_or_default();
            let _ = write!(what, " on group {group}");
        }
        self.head(out, change.kind, &what, change.direction.as_str());
        let show = |rule: Option<&crate::SgRule>| rule.map(ToString::to_string);
        self.lines_of(out, show(change.old.as_ref()), show(change.new.as_ref()), &change.reasons);
    }
}
