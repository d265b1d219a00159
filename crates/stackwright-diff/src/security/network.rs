//! Security-group rule changes: the inline `SecurityGroupIngress` / `SecurityGroupEgress` of
//! `AWS::EC2::SecurityGroup` and the standalone `AWS::EC2::SecurityGroupIngress` /
//! `AWS::EC2::SecurityGroupEgress` resources, compared by protocol, ports and peer.

use std::fmt;
use std::net::{Ipv4Addr, Ipv6Addr};

use stackwright_template::Json;

use super::{ChangeKind, Direction, display, items, property, type_of};

/// One rule, normalized: protocol names for numbers, ports only where they mean something.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SgRule {
    /// `ingress` or `egress`.
    pub flow: String,
    /// The group the rule belongs to: its logical ID for inline rules, the `GroupId` (as
    /// `!Ref Sg`, `!GetAtt Sg.GroupId` or an ID) for standalone ones.
    pub group: String,
    /// `tcp`, `udp`, `icmp`, `icmpv6`, `all` (for `-1`), or the number.
    pub protocol: String,
    /// The port range, `None` for every port (protocol `all`, or `-1`).
    pub ports: Option<(i64, i64)>,
    /// The other side: a CIDR, a security group, a prefix list.
    pub peer: String,
    /// Not in the template: AWS's allow-all egress, which a VPC security group has as long
    /// as it declares no `SecurityGroupEgress` rule.
    pub aws_default: bool,
}

impl SgRule {
    fn from_json(flow: &str, group: String, rule: &Json) -> Self {
        let protocol = match rule.get("IpProtocol").map(display).unwrap_or_default().to_ascii_lowercase().as_str() {
            "-1" | "all" => "all".to_owned(),
            "6" => "tcp".to_owned(),
            "17" => "udp".to_owned(),
            "1" => "icmp".to_owned(),
            "58" => "icmpv6".to_owned(),
            other => other.to_owned(),
        };
        let port =
            |key: &str| rule.get(key).and_then(|v| v.as_i64().or_else(|| v.as_str().and_then(|s| s.parse().ok())));
        let ports = match (port("FromPort"), port("ToPort")) {
            _ if protocol == "all" => None,
            (Some(-1), _) | (None, None) => None,
            (Some(from), Some(to)) => Some((from, if to == -1 { from } else { to })),
            (Some(p), None) | (None, Some(p)) => Some((p, p)),
        };
        let peer = [
            "CidrIp",
            "CidrIpv6",
            "SourceSecurityGroupId",
            "SourceSecurityGroupName",
            "SourcePrefixListId",
            "DestinationSecurityGroupId",
            "DestinationPrefixListId",
        ]
        .iter()
        .find_map(|key| rule.get(*key).map(display))
        .unwrap_or_else(|| "?".to_owned());
        Self { flow: flow.to_owned(), group, protocol, ports, peer, aws_default: false }
    }

    /// AWS's default egress rule of a group without explicit egress rules: everything to
    /// `0.0.0.0/0`.
    fn default_egress(group: String) -> Self {
        Self {
            flow: "egress".to_owned(),
            group,
            protocol: "all".to_owned(),
            ports: None,
            peer: "0.0.0.0/0".to_owned(),
            aws_default: true,
        }
    }

    /// The same access (whether or not written in the template).
    fn same(&self, other: &Self) -> bool {
        self.flow == other.flow
            && self.group == other.group
            && self.protocol == other.protocol
            && self.ports == other.ports
            && self.peer == other.peer
    }

    /// Whether the peer is the whole internet (`0.0.0.0/0` or `::/0`).
    pub fn is_world(&self) -> bool {
        matches!(self.peer.as_str(), "0.0.0.0/0" | "::/0")
    }
}

impl fmt::Display for SgRule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.flow, self.protocol)?;
        match self.ports {
            Some((from, to)) if from == to => write!(f, " {from}")?,
            Some((from, to)) => write!(f, " {from}-{to}")?,
            None if self.protocol == "all" => {}
            None => f.write_str(" all ports")?,
        }
        let preposition = if self.flow == "egress" { "to" } else { "from" };
        write!(f, " {preposition} {}", self.peer)?;
        if self.aws_default { f.write_str(" (AWS default)") } else { Ok(()) }
    }
}

/// One security-group rule added, removed or changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SgRuleChange {
    /// The logical ID holding the rule (the group, or the standalone rule resource).
    pub resource: String,
    /// Its type.
    pub resource_type: String,
    /// Added, removed or changed.
    pub kind: ChangeKind,
    /// The rule before.
    pub old: Option<SgRule>,
    /// The rule after.
    pub new: Option<SgRule>,
    /// Broadening or narrowing.
    pub direction: Direction,
    /// What makes it so (`opens to the internet (0.0.0.0/0)`, `wider ports 443 -> 0-65535`…).
    pub reasons: Vec<String>,
}

fn rules(id: &str, resource: Option<&Json>) -> Vec<SgRule> {
    let group = |r: &Json| r.get("GroupId").or_else(|| r.get("GroupName")).map_or_else(|| "?".to_owned(), display);
    match type_of(resource) {
        Some("AWS::EC2::SecurityGroup") => {
            let inline = |key, flow| {
                items(property(resource, key)).into_iter().map(move |r| SgRule::from_json(flow, id.to_owned(), r))
            };
            let mut rules: Vec<SgRule> =
                inline("SecurityGroupIngress", "ingress").chain(inline("SecurityGroupEgress", "egress")).collect();
            // Declaring no egress rule keeps AWS's allow-all egress; the first one replaces it.
            if !rules.iter().any(|r| r.flow == "egress") {
                rules.push(SgRule::default_egress(id.to_owned()));
            }
            rules
        }
        Some(kind @ ("AWS::EC2::SecurityGroupIngress" | "AWS::EC2::SecurityGroupEgress")) => {
            let flow = if kind.ends_with("Ingress") { "ingress" } else { "egress" };
            resource
                .and_then(|r| r.get("Properties"))
                .map(|p| vec![SgRule::from_json(flow, group(p), p)])
                .unwrap_or_default()
        }
        _ => Vec::new(),
    }
}

/// Appends the rule changes of one logical ID.
pub(crate) fn resource_changes(id: &str, old: Option<&Json>, new: Option<&Json>, out: &mut Vec<SgRuleChange>) {
    let (mut before, mut after) = (rules(id, old), rules(id, new));
    if before.is_empty() && after.is_empty() {
        return;
    }
    let resource_type = type_of(new).or(type_of(old)).unwrap_or_default().to_owned();
    before.retain(|o| match after.iter().position(|n| n.same(o)) {
        Some(index) => {
            after.remove(index);
            false
        }
        None => true,
    });
    let keys: [fn(&SgRule, &SgRule) -> bool; 3] = [
        |a, b| a.flow == b.flow && a.group == b.group && a.peer == b.peer,
        |a, b| a.flow == b.flow && a.group == b.group && a.protocol == b.protocol && a.ports == b.ports,
        // AWS's default egress and the explicit egress that replaces it (or that it replaces).
        |a, b| a.flow == b.flow && a.group == b.group && (a.aws_default || b.aws_default),
    ];
    let mut pairs = Vec::new();
    for key in keys {
        let mut index = 0;
        while index < before.len() {
            // invariant: the loop runs while `index < before.len()`.
            if let Some(found) = after.iter().position(|n| key(&before[index], n)) {
                pairs.push((Some(before.remove(index)), Some(after.remove(found))));
            } else {
                index += 1;
            }
        }
    }
    pairs.extend(before.into_iter().map(|o| (Some(o), None)));
    pairs.extend(after.into_iter().map(|n| (None, Some(n))));
    for (old, new) in pairs {
        let (kind, direction, reasons) = match (&old, &new) {
            (None, Some(rule)) => {
                let mut reasons = world(rule);
                if rule.aws_default {
                    reasons.insert(0, "no explicit egress rule: AWS's default allow-all egress applies".to_owned());
                }
                (ChangeKind::Added, Direction::Broadening, reasons)
            }
            (Some(rule), None) if rule.aws_default => (
                ChangeKind::Removed,
                Direction::Narrowing,
                vec!["the first explicit egress rule replaces AWS's default allow-all egress".to_owned()],
            ),
            (Some(_), None) => (ChangeKind::Removed, Direction::Narrowing, Vec::new()),
            (Some(old), Some(new)) => {
                let (direction, mut reasons) = judge(old, new);
                if new.aws_default {
                    reasons
                        .insert(0, "no explicit egress rule left: AWS's default allow-all egress applies".to_owned());
                } else if old.aws_default {
                    reasons
                        .insert(0, "the first explicit egress rule replaces AWS's default allow-all egress".to_owned());
                }
                (ChangeKind::Changed, direction, reasons)
            }
            (None, None) => continue,
        };
        out.push(SgRuleChange {
            resource: id.to_owned(),
            resource_type: resource_type.clone(),
            kind,
            old,
            new,
            direction,
            reasons,
        });
    }
}

fn world(rule: &SgRule) -> Vec<String> {
    if rule.is_world() { vec![format!("open to the internet ({})", rule.peer)] } else { Vec::new() }
}

/// The direction of a changed rule: wider if any of protocol, ports or peer widens (or
/// changes to something not comparable).
fn judge(old: &SgRule, new: &SgRule) -> (Direction, Vec<String>) {
    let mut reasons = Vec::new();
    let mut wider = false;
    if old.protocol != new.protocol {
        let grows = old.protocol != "all";
        wider |= grows;
        reasons.push(format!(
            "{} protocol {} -> {}",
            if grows { "wider" } else { "narrower" },
            old.protocol,
            new.protocol
        ));
    }
    if old.ports != new.ports {
        let range = |p: Option<(i64, i64)>| p.unwrap_or((0, 65535));
        let ((old_from, old_to), (new_from, new_to)) = (range(old.ports), range(new.ports));
        let grows = new_from < old_from || new_to > old_to;
        wider |= grows;
        let show = |p: Option<(i64, i64)>| match p {
            Some((from, to)) if from == to => from.to_string(),
            Some((from, to)) => format!("{from}-{to}"),
            None => "all".to_owned(),
        };
        reasons.push(format!(
            "{} ports {} -> {}",
            if grows { "wider" } else { "narrower" },
            show(old.ports),
            show(new.ports)
        ));
    }
    if old.peer != new.peer {
        // A peer that does not fall inside the old one gains access, even if unrelated.
        let grows = !contains(&old.peer, &new.peer);
        wider |= grows;
        reasons.push(format!("{} peer {} -> {}", if grows { "wider" } else { "narrower" }, old.peer, new.peer));
    }
    // `0.0.0.0/0` -> `::/0` opens to the IPv6 internet: a new opening, not the same one.
    reasons.extend(world(new).into_iter().filter(|_| old.peer != new.peer));
    (if wider { Direction::Broadening } else { Direction::Narrowing }, reasons)
}

/// Whether CIDR `outer` contains CIDR `inner` (both IPv4 or both IPv6). Anything else (a
/// security group, a prefix list, a function call) contains only itself.
fn contains(outer: &str, inner: &str) -> bool {
    fn parse(cidr: &str) -> Option<(u128, u32, bool)> {
        let (address, length) = cidr.split_once('/')?;
        let length: u32 = length.parse().ok()?;
        if let Ok(v4) = address.parse::<Ipv4Addr>() {
            return (length <= 32).then_some((u128::from(u32::from(v4)), length, false));
        }
        let v6 = address.parse::<Ipv6Addr>().ok()?;
        (length <= 128).then_some((u128::from(v6), length, true))
    }
    let (Some((a, la, six_a)), Some((b, lb, six_b))) = (parse(outer), parse(inner)) else { return outer == inner };
    if six_a != six_b || la > lb {
        return false;
    }
    let bits = if six_a { 128 } else { 32 };
    let shift = bits - la;
    let (a, b) = if shift >= 128 { (0, 0) } else { (a >> shift, b >> shift) };
    a == b
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn cidr_containment() {
        assert!(contains("0.0.0.0/0", "10.0.0.0/16"));
        assert!(contains("10.0.0.0/8", "10.1.0.0/16"));
        assert!(!contains("10.1.0.0/16", "10.0.0.0/8"));
        assert!(!contains("10.0.0.0/8", "192.168.0.0/16"));
        assert!(contains("::/0", "2001:db8::/32"));
        assert!(!contains("0.0.0.0/0", "::/0"));
        assert!(contains("sg-1", "sg-1"));
    }

    fn rule(json: &Json) -> SgRule {
        SgRule::from_json("ingress", "Sg".to_owned(), json)
    }

    #[test]
    fn opening_to_the_world_broadens() {
        let old = rule(&json!({"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443, "CidrIp": "10.0.0.0/16"}));
        let new = rule(&json!({"IpProtocol": "6", "FromPort": "443", "ToPort": 443, "CidrIp": "0.0.0.0/0"}));
        assert_eq!(new.to_string(), "ingress tcp 443 from 0.0.0.0/0");
        let (direction, reasons) = judge(&old, &new);
        assert_eq!(direction, Direction::Broadening);
        assert_eq!(reasons, ["wider peer 10.0.0.0/16 -> 0.0.0.0/0", "open to the internet (0.0.0.0/0)"]);
        assert_eq!(judge(&new, &old).0, Direction::Narrowing);
        let v6 = rule(&json!({"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443, "CidrIpv6": "::/0"}));
        assert_eq!(
            judge(&new, &v6),
            (
                Direction::Broadening,
                vec!["wider peer 0.0.0.0/0 -> ::/0".to_owned(), "open to the internet (::/0)".to_owned()]
            )
        );
    }

    fn group(egress: &Json) -> Json {
        json!({"Type": "AWS::EC2::SecurityGroup", "Properties": {"GroupDescription": "d", "VpcId": "v",
            "SecurityGroupEgress": egress}})
    }

    #[test]
    fn aws_default_egress_comes_back_without_explicit_rules() {
        let explicit = group(&json!([{"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443, "CidrIp": "10.0.0.0/8"}]));
        let none = json!({"Type": "AWS::EC2::SecurityGroup", "Properties": {"GroupDescription": "d", "VpcId": "v"}});
        let mut out = Vec::new();
        resource_changes("Sg", Some(&explicit), Some(&none), &mut out);
        assert_eq!(out.len(), 1, "{out:#?}");
        assert_eq!(out[0].direction, Direction::Broadening);
        assert_eq!(out[0].new.as_ref().unwrap().to_string(), "egress all to 0.0.0.0/0 (AWS default)");
        assert_eq!(
            out[0].reasons,
            [
                "no explicit egress rule left: AWS's default allow-all egress applies",
                "wider protocol tcp -> all",
                "wider ports 443 -> all",
                "wider peer 10.0.0.0/8 -> 0.0.0.0/0",
                "open to the internet (0.0.0.0/0)"
            ]
        );
        // The first explicit rule replaces the default: narrowing.
        let mut out = Vec::new();
        resource_changes("Sg", Some(&none), Some(&explicit), &mut out);
        assert_eq!(out.len(), 1, "{out:#?}");
        assert_eq!(out[0].direction, Direction::Narrowing);
        assert_eq!(out[0].reasons[0], "the first explicit egress rule replaces AWS's default allow-all egress");
        // An explicit allow-all and the default are the same access; an empty list is none.
        let mut out = Vec::new();
        resource_changes(
            "Sg",
            Some(&group(&json!([{"IpProtocol": "-1", "CidrIp": "0.0.0.0/0"}]))),
            Some(&group(&json!([]))),
            &mut out,
        );
        assert!(out.is_empty(), "{out:#?}");
    }

    #[test]
    fn all_protocols_and_wider_ports_broaden() {
        let old = rule(&json!({"IpProtocol": "tcp", "FromPort": 80, "ToPort": 80, "CidrIp": "10.0.0.0/16"}));
        let new = rule(&json!({"IpProtocol": "-1", "CidrIp": "10.0.0.0/16"}));
        assert_eq!(new.to_string(), "ingress all from 10.0.0.0/16");
        assert_eq!(
            judge(&old, &new),
            (Direction::Broadening, vec!["wider protocol tcp -> all".to_owned(), "wider ports 80 -> all".to_owned()])
        );
    }
}
