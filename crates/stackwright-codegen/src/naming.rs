//! Naming rules: CloudFormation names to Rust identifiers.
//!
//! Every rule is a pure function of its input so generated names never change between runs.

/// Rust keywords that must be written as raw identifiers (`r#type`) when used as names.
const RAW_KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "do", "dyn", "else", "enum",
    "extern", "false", "final", "fn", "for", "gen", "if", "impl", "in", "let", "loop", "macro", "match", "mod", "move",
    "mut", "override", "priv", "pub", "ref", "return", "static", "struct", "trait", "true", "try", "type", "typeof",
    "unsafe", "unsized", "use", "virtual", "where", "while", "yield",
];

/// Keywords that cannot be raw identifiers; they get a trailing underscore instead.
const NON_RAW_KEYWORDS: &[&str] = &["crate", "self", "super", "Self"];

/// Words in mixed case that are kept whole (digits after them stay attached).
const SPECIAL_WORDS: &[&str] = &["IPv4", "IPv6", "FSx", "GiB", "MiB", "KiB", "TiB"];

/// Splits a CloudFormation name into words.
///
/// Words break at non-alphanumeric characters, at a lower-to-upper case change, and before
/// the last capital of an acronym followed by a lower-case letter (`VPCId` → `VPC`, `Id`).
/// Digits stay with the word before them (`S3Key` → `S3`, `Key`); a few mixed-case words
/// (`IPv6`, `FSx`, `GiB`) and plural acronyms (`ARNs`) are kept whole.
pub fn words(name: &str) -> Vec<String> {
    let chars: Vec<char> = name.chars().collect();
    let mut words = Vec::new();
    let mut current = String::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if !c.is_ascii_alphanumeric() {
            flush(&mut words, &mut current);
            i += 1;
            continue;
        }
        // Mixed-case words that the case rules would split (`IPv6` → `I`, `Pv6`).
        if let Some(special) = SPECIAL_WORDS.iter().find(|w| starts_with_at(&chars, i, w)) {
            let len = special.len();
            let ends_word = chars.get(i + len).is_none_or(|n| !n.is_ascii_lowercase());
            if ends_word && (current.is_empty() || !chars[i - 1].is_ascii_uppercase()) {
                flush(&mut words, &mut current);
                current.extend(&chars[i..i + len]);
                i += len;
                continue;
            }
        }
        if let Some(&prev) = current.chars().last().as_ref() {
            let next = chars.get(i + 1).copied();
            let boundary = if c.is_ascii_uppercase() {
                // lower→Upper, digit→Upper
                prev.is_ascii_lowercase()
                    || prev.is_ascii_digit()
                    // ACRONYMWord: break before the capital that starts a lower-case word,
                    // unless that lower-case run is a plural `s` ending the word (`ARNs`).
                    || (prev.is_ascii_uppercase()
                        && next.is_some_and(|n| n.is_ascii_lowercase())
                        && !is_plural_s(&chars, i + 1))
            } else {
                false
            };
            if boundary {
                flush(&mut words, &mut current);
            }
        }
        current.push(c);
        i += 1;
    }
    flush(&mut words, &mut current);
    words
}

fn starts_with_at(chars: &[char], at: usize, prefix: &str) -> bool {
    prefix.chars().enumerate().all(|(k, p)| chars.get(at + k) == Some(&p))
}

/// Whether `chars[at]` is a lone `s` ending a word (end of name, capital or separator next).
fn is_plural_s(chars: &[char], at: usize) -> bool {
    chars.get(at) == Some(&'s') && chars.get(at + 1).is_none_or(|n| !n.is_ascii_lowercase())
}

fn flush(words: &mut Vec<String>, current: &mut String) {
    if !current.is_empty() {
        words.push(std::mem::take(current));
    }
}

/// `snake_case` of a name, without keyword escaping.
pub fn snake_case(name: &str) -> String {
    words(name).iter().map(|w| w.to_ascii_lowercase()).collect::<Vec<_>>().join("_")
}

/// `UpperCamelCase` of a name: every word capitalized, the rest lower-cased
/// (`VPCGatewayAttachment` → `VpcGatewayAttachment`). Digit-to-digit word joins keep an
/// underscore so `1.0` and `10` stay distinct.
pub fn upper_camel(name: &str) -> String {
    let mut out = String::new();
    for word in words(name) {
        if out.chars().last().is_some_and(|c| c.is_ascii_digit()) && word.starts_with(|c: char| c.is_ascii_digit()) {
            out.push('_');
        }
        let mut chars = word.chars();
        if let Some(first) = chars.next() {
            out.push(first.to_ascii_uppercase());
            out.extend(chars.map(|c| c.to_ascii_lowercase()));
        }
    }
    out
}

/// A field or method name: `snake_case`, as a raw identifier when it is a keyword.
pub fn field_name(name: &str) -> String {
    escape_keyword(&snake_case(name))
}

/// Escapes a keyword: `type` → `r#type`, `self` → `self_`.
pub fn escape_keyword(ident: &str) -> String {
    if RAW_KEYWORDS.contains(&ident) {
        format!("r#{ident}")
    } else if NON_RAW_KEYWORDS.contains(&ident) {
        format!("{ident}_")
    } else if ident.starts_with(|c: char| c.is_ascii_digit()) {
        format!("n{ident}")
    } else {
        ident.to_owned()
    }
}

/// A type name: `UpperCamelCase`, prefixed when it would start with a digit.
pub fn type_name(name: &str) -> String {
    let camel = upper_camel(name);
    if camel.is_empty() {
        "Unnamed".to_owned()
    } else if camel.starts_with(|c: char| c.is_ascii_digit()) {
        format!("T{camel}")
    } else {
        camel
    }
}

/// Variant names for the values of a string enum, in the order given, unique.
///
/// `IMMUTABLE` → `Immutable`, `aws:kms` → `AwsKms`, `1.0` → `V1_0`, the empty string → `Empty`;
/// a later value whose name is taken gets the smallest free numeric suffix.
pub fn variant_names(values: &[String]) -> Vec<String> {
    let mut taken: Vec<String> = Vec::new();
    for value in values {
        let mut base = upper_camel(value);
        if base.is_empty() {
            base = if value.is_empty() { "Empty".to_owned() } else { "Value".to_owned() };
        }
        if base.starts_with(|c: char| c.is_ascii_digit()) {
            base = format!("V{base}");
        }
        if base == "Self" {
            "Self_".clone_into(&mut base);
        }
        let mut name = base.clone();
        let mut n = 2;
        while taken.contains(&name) {
            let sep = if base.ends_with(|c: char| c.is_ascii_digit()) { "_" } else { "" };
            name = format!("{base}{sep}{n}");
            n += 1;
        }
        taken.push(name);
    }
    taken
}

/// The singular of a plural property name, for the element type of a list
/// (`PortMappings` → `PortMapping`, `Policies` → `Policy`); `None` when it does not look
/// plural.
pub fn singular(name: &str) -> Option<String> {
    if let Some(stem) = name.strip_suffix("ies") {
        return Some(format!("{stem}y"));
    }
    for keep in ["sses", "xes", "shes", "ches"] {
        if name.ends_with(keep) {
            return Some(name[..name.len() - 2].to_owned());
        }
    }
    if name.ends_with('s') && !name.ends_with("ss") && !name.ends_with("us") && !name.ends_with("is") {
        return Some(name[..name.len() - 1].to_owned());
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snake_case_handles_acronyms_digits_and_plurals() {
        assert_eq!(snake_case("VPCId"), "vpc_id");
        assert_eq!(snake_case("VpcId"), "vpc_id");
        assert_eq!(snake_case("EnableECSManagedTags"), "enable_ecs_managed_tags");
        assert_eq!(snake_case("IPv6CidrBlock"), "ipv6_cidr_block");
        assert_eq!(snake_case("AssignIpv6AddressOnCreation"), "assign_ipv6_address_on_creation");
        assert_eq!(snake_case("S3Key"), "s3_key");
        assert_eq!(snake_case("Ec2InboundPermissions"), "ec2_inbound_permissions");
        assert_eq!(snake_case("SecurityGroupIds"), "security_group_ids");
        assert_eq!(snake_case("ManagedPolicyArns"), "managed_policy_arns");
        assert_eq!(snake_case("TargetARNs"), "target_arns");
        assert_eq!(snake_case("CidrIpv6"), "cidr_ipv6");
        assert_eq!(snake_case("KMSMasterKeyID"), "kms_master_key_id");
        assert_eq!(snake_case("SSESpecification"), "sse_specification");
        assert_eq!(snake_case("Http2Enabled"), "http2_enabled");
        assert_eq!(snake_case("Name"), "name");
        assert_eq!(
            snake_case("FSxWindowsFileServerVolumeConfiguration"),
            "fsx_windows_file_server_volume_configuration"
        );
        assert_eq!(snake_case("SizeInGiB"), "size_in_gib");
        assert_eq!(snake_case("Ipv6CidrBlocks"), "ipv6_cidr_blocks");
    }

    #[test]
    fn keywords_become_raw_identifiers() {
        assert_eq!(field_name("Type"), "r#type");
        assert_eq!(field_name("Match"), "r#match");
        assert_eq!(field_name("Self"), "self_");
        assert_eq!(field_name("Enabled"), "enabled");
    }

    #[test]
    fn type_names_are_upper_camel() {
        assert_eq!(type_name("VPC"), "Vpc");
        assert_eq!(type_name("VPCGatewayAttachment"), "VpcGatewayAttachment");
        assert_eq!(type_name("EIP"), "Eip");
        assert_eq!(type_name("EncryptionConfiguration"), "EncryptionConfiguration");
        assert_eq!(type_name("IPv6Address"), "Ipv6Address");
    }

    #[test]
    fn enum_variants_are_unique_and_valid() {
        let values: Vec<String> = ["IMMUTABLE", "MUTABLE", "aws:kms", "AES256", "1.0", "10", "", "FARGATE_SPOT"]
            .iter()
            .map(ToString::to_string)
            .collect();
        assert_eq!(
            variant_names(&values),
            ["Immutable", "Mutable", "AwsKms", "Aes256", "V1_0", "V10", "Empty", "FargateSpot"]
        );
        let clash: Vec<String> = ["ip-address", "IP_ADDRESS", "IpAddress"].iter().map(ToString::to_string).collect();
        assert_eq!(variant_names(&clash), ["IpAddress", "IpAddress2", "IpAddress3"]);
        let digits: Vec<String> = ["v1", "V1"].iter().map(ToString::to_string).collect();
        assert_eq!(variant_names(&digits), ["V1", "V1_2"]);
    }

    #[test]
    fn singular_of_list_names() {
        assert_eq!(singular("PortMappings").as_deref(), Some("PortMapping"));
        assert_eq!(singular("Policies").as_deref(), Some("Policy"));
        assert_eq!(singular("Address"), None);
        assert_eq!(singular("Status"), None);
    }
}
