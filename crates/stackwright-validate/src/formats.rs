//! The registry's EC2 identifier formats (`AWS::EC2::VPC.Id`, `SecurityGroup.Id`,
//! `Subnet.Id`, `Image.Id`), asserted: a value that is not `vpc-` (`sg-`, `subnet-`, `ami-`)
//! followed by 8 or 17 hexadecimal digits (AMIs: letters and digits, as cfn-lint's E1152
//! accepts) can name no VPC, security group, subnet or image, so EC2 refuses the request that
//! creates the resource (`InvalidVpcID.Malformed`, `InvalidGroupId.Malformed`…). The lead's
//! decision (issue 10): formats CloudFormation's requests fail on are errors; the registry's
//! other formats stay hints.
//!
//! `registry.bin` drops the `format` keyword, so the places are listed in `formats.tsv`,
//! written by `schemas/formats.py` from the same schemas (cfn-lint 1.58.0's `us-east-1`
//! providers): `type<TAB>path<TAB>format`, the path from `Properties`, `*` for a list's items.
//! Only literal strings are judged; a dynamic reference (`{{resolve:ssm:…}}`) is resolved at
//! deployment and is not.

use std::sync::OnceLock;

use stackwright_template::{Json, Template};

use crate::finding::Finding;
use crate::json::pointer;

const TABLE: &str = include_str!("formats.tsv");

/// (type, path, format) rows, sorted by type (file order within a type).
type Places = Vec<(&'static str, &'static str, &'static str)>;

/// The rows, parsed once per process: a sorted list searched by type, cheaper to build than a
/// map of lists for the few types a template has.
fn places() -> &'static Places {
    static PLACES: OnceLock<Places> = OnceLock::new();
    PLACES.get_or_init(|| {
        let mut places: Places = rows(TABLE).collect();
        places.sort_by_key(|&(type_name, _, _)| type_name);
        places
    })
}

/// The rows of `type_name` (a binary search for its run).
pub(crate) fn rows_of<'p, T>(places: &'p [T], type_name: &str, key: impl Fn(&T) -> &str) -> &'p [T] {
    let start = places.partition_point(|row| key(row) < type_name);
    let rest = places.get(start..).unwrap_or_default();
    rest.get(..rest.partition_point(|row| key(row) == type_name)).unwrap_or_default()
}

/// The prefix of a format's identifiers, and whether its digits may be any lowercase letter.
fn shape(format: &str) -> Option<(&'static str, bool)> {
    match format {
        "AWS::EC2::VPC.Id" => Some(("vpc-", false)),
        "AWS::EC2::SecurityGroup.Id" => Some(("sg-", false)),
        "AWS::EC2::Subnet.Id" => Some(("subnet-", false)),
        "AWS::EC2::Image.Id" => Some(("ami-", true)),
        _ => None,
    }
}

fn matches(value: &str, prefix: &str, letters: bool) -> bool {
    value.strip_prefix(prefix).is_some_and(|id| {
        (id.len() == 8 || id.len() == 17)
            && id
                .chars()
                .all(|c| if letters { c.is_ascii_lowercase() || c.is_ascii_digit() } else { c.is_ascii_hexdigit() })
    })
}

pub(crate) fn check(template: &Template, out: &mut Vec<Finding>) {
    let places = places();
    for (id, resource) in template.resources() {
        let paths = rows_of(places, &resource.type_name, |row| row.0);
        if paths.is_empty() {
            continue;
        }
        let at = format!("{}/Properties", pointer("/Resources", id.as_str()));
        for (_, path, format) in paths {
            let Some((prefix, letters)) = shape(format) else { continue };
            for (value_at, value) in literals(resource, &at, path) {
                if crate::json::is_dynamic(value) || matches(value, prefix, letters) {
                    continue;
                }
                let digits = if letters { "letters and digits" } else { "hexadecimal digits" };
                let message = format!(
                    "{value:?} is not a {format} ({prefix} and 8 or 17 {digits}): EC2 refuses the malformed identifier"
                );
                out.push(Finding::new("schema/format", value_at, message).about(id.as_str()));
            }
        }
    }
}

/// The `type<TAB>path<TAB>format` rows of a table written by `schemas/formats.py`.
pub(crate) fn rows(table: &'static str) -> impl Iterator<Item = (&'static str, &'static str, &'static str)> {
    table.lines().filter_map(|line| {
        let mut fields = line.split('\t');
        Some((fields.next()?, fields.next()?, fields.next()?))
    })
}

/// The literal strings of `resource` (its properties at `at`) at a table's `path`, with their
/// pointers.
pub(crate) fn literals<'a>(
    resource: &'a stackwright_template::Resource,
    at: &str,
    path: &str,
) -> Vec<(String, &'a str)> {
    let mut segments = path.split('/');
    let mut found = Vec::new();
    if let Some(first) = segments.next()
        && let Some(value) = resource.properties.get(first)
    {
        let rest: Vec<&str> = segments.collect();
        values(value, &rest, pointer(at, first), &mut found);
    }
    found
}

/// The literal strings at `path` below `value` (`*`: each item of a list).
fn values<'a>(value: &'a Json, path: &[&str], at: String, out: &mut Vec<(String, &'a str)>) {
    match (path.split_first(), value) {
        (None, Json::String(text)) => out.push((at, text)),
        (Some((&"*", rest)), Json::Array(items)) => {
            for (i, item) in items.iter().enumerate() {
                values(item, rest, format!("{at}/{i}"), out);
            }
        }
        (Some((key, rest)), Json::Object(map)) if !stackwright_template::Intrinsic::is_function_object(value) => {
            if let Some(child) = map.get(*key) {
                values(child, rest, pointer(&at, key), out);
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    fn rules(type_name: &str, properties: &serde_json::Value) -> Vec<(&'static str, String)> {
        let template = json!({"Resources": {"R": {"Type": type_name, "Properties": properties}}});
        crate::validate_source(&template.to_string())
            .findings
            .into_iter()
            .filter(|f| f.rule == "schema/format")
            .map(|f| (f.rule, f.pointer))
            .collect()
    }

    #[test]
    fn ec2_identifiers_have_their_format() {
        let subnet = |vpc: &str| json!({"VpcId": vpc, "CidrBlock": "10.0.0.0/24"});
        assert_eq!(
            rules("AWS::EC2::Subnet", &subnet("vpc-123456")),
            [("schema/format", "/Resources/R/Properties/VpcId".into())]
        );
        assert_eq!(rules("AWS::EC2::Subnet", &subnet("vpc-0123abcd")), []);
        assert_eq!(rules("AWS::EC2::Subnet", &subnet("vpc-0123456789abcdef0")), []);
        assert_eq!(rules("AWS::EC2::Subnet", &subnet("{{resolve:ssm:/vpc/id}}")), []);
        assert_eq!(rules("AWS::EC2::Subnet", &json!({"VpcId": {"Ref": "AWS::NoValue"}})), []);
        let group = json!({"ReplicationGroupDescription": "d", "SecurityGroupIds": ["sg-0123abcd", "sg-test"]});
        assert_eq!(
            rules("AWS::ElastiCache::ReplicationGroup", &group),
            [("schema/format", "/Resources/R/Properties/SecurityGroupIds/1".into())]
        );
        assert_eq!(rules("AWS::EC2::Instance", &json!({"ImageId": "ami-0abcdefz"})), []);
        assert_eq!(
            rules("AWS::EC2::Instance", &json!({"ImageId": "${AMIId}"})),
            [("schema/format", "/Resources/R/Properties/ImageId".into())]
        );
    }
}
