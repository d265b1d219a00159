//! The TLS versions an Elastic Load Balancing security policy accepts, read from its name as
//! ELB names them (`ELBSecurityPolicy-TLS13-1-2-2021-06` accepts TLS 1.2 and 1.3), for
//! judging a listener's `SslPolicy` change.

use stackwright_template::Json;

/// The policy an HTTPS or TLS listener gets when its template sets none: ELB's default for
/// the API, CLI and CloudFormation (the console's differs).
pub(crate) const DEFAULT_POLICY: &str = "ELBSecurityPolicy-2016-08";

/// Name prefixes (after `ELBSecurityPolicy-`) and the oldest TLS minor version (1.x) each
/// accepts. Longer prefixes first, so `TLS13-1-2` is not read as `TLS-1-…`.
const FAMILIES: [(&str, u8); 8] = [
    ("TLS13-1-3", 3),
    ("TLS13-1-2", 2),
    ("TLS13-1-1", 1),
    ("TLS13-1-0", 0),
    ("TLS-1-2", 2),
    ("TLS-1-1", 1),
    ("FS-1-2", 2),
    ("FS-1-1", 1),
];

/// The oldest TLS minor version (`2` for TLS 1.2) `policy` accepts; `None` for a name this
/// table does not know.
pub(crate) fn minimum_version(policy: &str) -> Option<u8> {
    let name = policy.strip_prefix("ELBSecurityPolicy-")?;
    // The dated policies without a family (`2016-08`, `2015-05`) and `FS-2018-06` accept
    // TLS 1.0.
    if name.starts_with(|c: char| c.is_ascii_digit()) || name == "FS-2018-06" {
        return Some(0);
    }
    FAMILIES.iter().find(|(prefix, _)| name.starts_with(prefix)).map(|(_, minor)| *minor)
}

/// The policy a listener uses: its `SslPolicy`, or the default for an HTTPS or TLS
/// listener; `None` for a plaintext listener or a value behind a function call.
fn policy(listener: &Json) -> Option<&str> {
    let properties = listener.get("Properties")?;
    let protocol = properties.get("Protocol").and_then(Json::as_str)?;
    if !matches!(protocol, "HTTPS" | "TLS") {
        return None;
    }
    match properties.get("SslPolicy") {
        None => Some(DEFAULT_POLICY),
        Some(value) => value.as_str(),
    }
}

/// `(old, new)` descriptions when the new listener accepts an older TLS version than the old
/// one: `ELBSecurityPolicy-TLS13-1-2-2021-06 (TLS 1.2+)`.
pub(crate) fn weakened(old: &Json, new: &Json) -> Option<(String, String)> {
    let (a, b) = (policy(old)?, policy(new)?);
    let (from, to) = (minimum_version(a)?, minimum_version(b)?);
    let show = |name: &str, minor: u8, given: bool| {
        let default = if given { "" } else { ", the default" };
        format!("{name} (TLS 1.{minor}+{default})")
    };
    let given = |listener: &Json| listener.pointer("/Properties/SslPolicy").is_some();
    (to < from).then(|| (show(a, from, given(old)), show(b, to, given(new))))
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn minimum_versions_by_name() {
        for (policy, minor) in [
            ("ELBSecurityPolicy-TLS13-1-3-2021-06", 3),
            ("ELBSecurityPolicy-TLS13-1-2-2021-06", 2),
            ("ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09", 2),
            ("ELBSecurityPolicy-TLS13-1-1-2021-06", 1),
            ("ELBSecurityPolicy-TLS13-1-0-2021-06", 0),
            ("ELBSecurityPolicy-TLS-1-2-Ext-2018-06", 2),
            ("ELBSecurityPolicy-TLS-1-1-2017-01", 1),
            ("ELBSecurityPolicy-FS-1-2-Res-2020-10", 2),
            ("ELBSecurityPolicy-FS-1-1-2019-08", 1),
            ("ELBSecurityPolicy-FS-2018-06", 0),
            ("ELBSecurityPolicy-2016-08", 0),
        ] {
            assert_eq!(minimum_version(policy), Some(minor), "{policy}");
        }
        assert_eq!(minimum_version("custom"), None);
        assert_eq!(minimum_version("ELBSecurityPolicy-TLS14-2030-01"), None, "an unknown family is not judged");
    }

    #[test]
    fn a_listener_without_a_policy_gets_the_default() {
        let https = |policy: Option<&str>| match policy {
            Some(p) => json!({"Properties": {"Protocol": "HTTPS", "SslPolicy": p}}),
            None => json!({"Properties": {"Protocol": "HTTPS"}}),
        };
        let (old, new) = weakened(&https(Some("ELBSecurityPolicy-TLS13-1-2-2021-06")), &https(None)).unwrap();
        assert_eq!(old, "ELBSecurityPolicy-TLS13-1-2-2021-06 (TLS 1.2+)");
        assert_eq!(new, "ELBSecurityPolicy-2016-08 (TLS 1.0+, the default)");
        assert_eq!(weakened(&https(None), &https(Some("ELBSecurityPolicy-TLS13-1-2-2021-06"))), None);
        // A plaintext listener has no policy to weaken (HTTPS -> HTTP is its own row).
        assert_eq!(
            weakened(&https(Some("ELBSecurityPolicy-TLS13-1-2-2021-06")), &json!({"Properties": {"Protocol": "HTTP"}})),
            None
        );
        let by_ref = json!({"Properties": {"Protocol": "HTTPS", "SslPolicy": {"Ref": "Policy"}}});
        assert_eq!(weakened(&https(None), &by_ref), None);
    }
}
