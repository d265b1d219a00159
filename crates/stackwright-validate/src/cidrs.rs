//! CIDR blocks where the registry says a property is one (`format: ipv4-network` or
//! `ipv6-network`: security-group rules' `CidrIp`/`CidrIpv6`, subnets, VPCs, routes, network
//! ACL entries…). `registry.bin` drops `format`, so the places are listed in `cidrs.tsv`,
//! written by `schemas/formats.py … cidr` from cfn-lint 1.58.0's `us-east-1` schemas (where a
//! path is declared with both formats, a block of either family is accepted).
//!
//! Only malformed blocks are judged: an address that is not four decimal octets of at most 255
//! (IPv4) or a valid IPv6 address, an empty or non-decimal prefix, or one beyond 32 (128). A
//! bare address passes, as cfn-lint reads it (a `/32` or `/128`). cfn-lint's E1103 also
//! rejects host bits set (`10.0.0.1/24`) and leading zeros; whether every service refuses
//! those is not documented, so they are not findings here.
//!
//! The level: EC2 refuses a malformed CIDR block when the stack creates the resource
//! (`InvalidParameterValue`, "CIDR block … is malformed"), so on an `AWS::EC2::*` type it is
//! an error, `ec2/cidr` — the same decision as the EC2 identifier formats (`schema/format`).
//! Other services' answers are not documented, so there it is a warning, `schema/cidr`.
//! A literal only: a function call or a dynamic reference is resolved at deployment.

use std::net::Ipv6Addr;
use std::sync::OnceLock;

use stackwright_template::Template;

use crate::finding::Finding;
use crate::json::pointer;

const TABLE: &str = include_str!("cidrs.tsv");

/// (type, path, whether IPv4 and whether IPv6 blocks are accepted there), sorted by type and
/// path, one row per (type, path).
type Places = Vec<(&'static str, &'static str, (bool, bool))>;

fn places() -> &'static Places {
    static PLACES: OnceLock<Places> = OnceLock::new();
    PLACES.get_or_init(|| {
        let mut rows: Vec<(&str, &str, &str)> = crate::formats::rows(TABLE).collect();
        rows.sort_by_key(|&(type_name, path, _)| (type_name, path));
        let mut places = Places::new();
        for (type_name, path, format) in rows {
            if places.last().is_none_or(|&(t, p, _)| (t, p) != (type_name, path)) {
                places.push((type_name, path, (false, false)));
            }
            if let Some((_, _, families)) = places.last_mut() {
                match format {
                    "ipv4-network" => families.0 = true,
                    "ipv6-network" => families.1 = true,
                    _ => {}
                }
            }
        }
        places
    })
}

pub(crate) fn check(template: &Template, out: &mut Vec<Finding>) {
    let places = places();
    for (id, resource) in template.resources() {
        let paths = crate::formats::rows_of(places, &resource.type_name, |row| row.0);
        if paths.is_empty() {
            continue;
        }
        let at = format!("{}/Properties", pointer("/Resources", id.as_str()));
        let (rule, consequence) = if resource.type_name.starts_with("AWS::EC2::") {
            ("ec2/cidr", "EC2 refuses the malformed CIDR block when it creates the resource")
        } else {
            ("schema/cidr", "the registry declares a CIDR block here")
        };
        for &(_, path, (v4, v6)) in paths {
            for (value_at, text) in crate::formats::literals(resource, &at, path) {
                if crate::json::is_dynamic(text) || (v4 && is_ipv4_block(text)) || (v6 && is_ipv6_block(text)) {
                    continue;
                }
                let family = match (v4, v6) {
                    (true, true) => "an IPv4 or IPv6 CIDR block",
                    (false, true) => "an IPv6 CIDR block (address/prefix, prefix 0–128)",
                    _ => "an IPv4 CIDR block (four octets of 0–255, prefix 0–32)",
                };
                let message = format!("{text:?} is not {family}: {consequence}");
                out.push(Finding::new(rule, value_at, message).about(id.as_str()));
            }
        }
    }
}

/// `a.b.c.d/n`: four decimal octets of at most 255, a decimal prefix of at most 32 (none: 32).
fn is_ipv4_block(text: &str) -> bool {
    let (address, prefix) = text.split_once('/').unwrap_or((text, "32"));
    let octets: Vec<&str> = address.split('.').collect();
    octets.len() == 4
        && octets.iter().all(|octet| decimal(octet, 3).is_some_and(|n| n <= 255))
        && decimal(prefix, 2).is_some_and(|n| n <= 32)
}

/// `address/n`: an IPv6 address (no zone), a decimal prefix of at most 128 (none: 128).
fn is_ipv6_block(text: &str) -> bool {
    let (address, prefix) = text.split_once('/').unwrap_or((text, "128"));
    address.parse::<Ipv6Addr>().is_ok() && decimal(prefix, 3).is_some_and(|n| n <= 128)
}

/// A number of 1 to `digits` decimal digits.
fn decimal(text: &str, digits: usize) -> Option<u32> {
    if text.is_empty() || text.len() > digits || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse().ok()
}

#[cfg(test)]
mod tests {
    use serde_json::{Value, json};

    fn findings(type_name: &str, properties: &Value) -> Vec<(&'static str, String)> {
        let template = json!({"Resources": {"R": {"Type": type_name, "Properties": properties}}});
        crate::validate_source(&template.to_string())
            .findings
            .into_iter()
            .filter(|f| f.rule.ends_with("/cidr"))
            .map(|f| (f.rule, f.pointer))
            .collect()
    }

    #[test]
    fn blocks_are_read_as_cidr() {
        for good in ["0.0.0.0/0", "10.0.0.0/16", "192.168.1.0/32", "010.0.0.0/8", "10.0.0.1/24", "10.0.0.1"] {
            assert!(super::is_ipv4_block(good), "{good}");
        }
        for bad in ["0.0.0.0/33", "256.0.0.0/8", "10.0.0/8", "10.0.0.0/", "10.0.0.0/-1", "a.b.c.d/8", ""] {
            assert!(!super::is_ipv4_block(bad), "{bad}");
        }
        for good in ["::/0", "2001:db8::/32", "2001:db8:0:1::/64", "::ffff:10.0.0.0/128", "2001:db8::"] {
            assert!(super::is_ipv6_block(good), "{good}");
        }
        for bad in ["::/129", "2001:db8:::/32", "2001:db8::g/64", "2001:db8::/", "fe80::1%eth0/64", "10.0.0.0/8"] {
            assert!(!super::is_ipv6_block(bad), "{bad}");
        }
    }

    #[test]
    fn security_group_rules_are_errors() {
        let rules = json!({"GroupDescription": "g", "SecurityGroupIngress": [
            {"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443, "CidrIp": "0.0.0.0/0"},
            {"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443, "CidrIp": "0.0.0.0/33"},
            {"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443, "CidrIpv6": "2001:db8::/129"},
            {"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443, "CidrIp": {"Ref": "Office"}}]});
        assert_eq!(
            findings("AWS::EC2::SecurityGroup", &rules),
            [
                ("ec2/cidr", "/Resources/R/Properties/SecurityGroupIngress/1/CidrIp".to_owned()),
                ("ec2/cidr", "/Resources/R/Properties/SecurityGroupIngress/2/CidrIpv6".to_owned()),
            ]
        );
        let ingress = json!({"GroupId": "sg-12345678", "IpProtocol": "-1", "CidrIp": "300.1.2.3/8"});
        assert_eq!(
            findings("AWS::EC2::SecurityGroupIngress", &ingress),
            [("ec2/cidr", "/Resources/R/Properties/CidrIp".to_owned())]
        );
        let egress = json!({"GroupId": "sg-12345678", "IpProtocol": "-1", "CidrIpv6": "::/0"});
        assert!(findings("AWS::EC2::SecurityGroupEgress", &egress).is_empty());
    }

    #[test]
    fn either_family_where_both_are_declared_and_a_warning_outside_ec2() {
        let entries = json!({"PrefixListName": "p", "AddressFamily": "IPv6", "MaxEntries": 2,
            "Entries": [{"Cidr": "2001:db8::/32"}, {"Cidr": "10.0.0.0/8"}, {"Cidr": "10.0.0.0/40"}]});
        assert_eq!(
            findings("AWS::EC2::PrefixList", &entries),
            [("ec2/cidr", "/Resources/R/Properties/Entries/2/Cidr".to_owned())]
        );
        let ingress = json!({"DBSecurityGroupName": "g", "CIDRIP": "10.0.0.0/33"});
        assert_eq!(
            findings("AWS::RDS::DBSecurityGroupIngress", &ingress),
            [("schema/cidr", "/Resources/R/Properties/CIDRIP".to_owned())]
        );
    }
}
