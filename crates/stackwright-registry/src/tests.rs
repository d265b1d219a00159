//! The embedded data: every entry decompresses, parses and compiles; the classification rules.

use super::*;

#[test]
fn every_vendored_type_loads_and_compiles_with_every_reference_resolved() {
    let names: Vec<&str> = type_names().collect();
    assert!(names.len() > 1800, "{} types", names.len());
    assert!(names.windows(2).all(|w| w[0] < w[1]), "sorted");
    let mut unresolved = Vec::new();
    for name in &names {
        let facts = facts(name).unwrap_or_else(|| panic!("{name}: facts"));
        assert_eq!(facts.type_name, *name);
        let schema = schema(name).unwrap_or_else(|| panic!("{name}: schema"));
        schema.compile_all().unwrap_or_else(|e| panic!("{name}: {e}"));
        unresolved.extend(schema.references().into_iter().filter(|(_, ok)| !ok).map(|(r, _)| format!("{name} {r}")));
    }
    // The published schema defines `SseSpecification` as a `$ref` to itself; nothing else
    // refers to it (the property of that name has its own inline schema). A reference that
    // resolves nowhere matches anything, so it constrains nothing either way.
    assert_eq!(unresolved, ["AWS::EC2::VerifiedAccessTrustProvider #/definitions/SseSpecification"]);
}

#[test]
fn names_are_classified() {
    assert_eq!(classify("AWS::S3::Bucket"), TypeClass::Registry);
    assert_eq!(classify("Alexa::ASK::Skill"), TypeClass::Registry);
    assert_eq!(classify("Custom::Anything"), TypeClass::Custom);
    assert_eq!(classify(CUSTOM_RESOURCE), TypeClass::Custom);
    assert!(is_known(CUSTOM_RESOURCE), "its schema is the registry's");
    assert_eq!(classify("Org::Service::Thing::MODULE"), TypeClass::Module);
    assert_eq!(classify("AWS::S3::MODULE"), TypeClass::Unknown, "a module name has four parts");
    assert!(matches!(classify("AWS::IoTEvents::Input"), TypeClass::OtherRegions(r) if r.contains(&"eu-west-1")));
    assert_eq!(classify("AWS::Serverless::Function"), TypeClass::Unknown, "SAM types exist only before the transform");
    assert_eq!(classify(""), TypeClass::Unknown);
    assert!(facts("AWS::DeviceFarm::Project").is_none() && schema("AWS::DeviceFarm::Project").is_none());
    assert!(facts("Custom::Anything").is_none());
}

#[test]
fn facts_of_well_known_types() {
    let bucket = facts("AWS::S3::Bucket").unwrap();
    assert!(bucket.is_create_only("/properties/BucketName"));
    assert!(bucket.has_attribute("Arn") && bucket.has_attribute("DomainName"));
    let instance = facts("AWS::RDS::DBInstance").unwrap();
    assert!(instance.has_attribute("Endpoint.Address"));
    assert!(instance.has_attribute("DBInstanceClass"), "an older type: every property is an attribute");
    let stack = facts("AWS::CloudFormation::Stack").unwrap();
    assert!(stack.has_attribute("Outputs.VpcId") && !stack.has_attribute("VpcId"));
    let custom = facts(CUSTOM_RESOURCE).unwrap();
    assert_eq!(custom.required, ["ServiceToken"]);
}

/// Patterns are compiled on first use: compile every distinct one now, so a pattern the
/// engine refuses (it would match everything) cannot slip in.
#[test]
fn every_registry_pattern_compiles() {
    let mut distinct = std::collections::BTreeSet::new();
    for name in type_names() {
        for pattern in schema(name).expect("compiles").patterns() {
            distinct.insert(pattern.as_str().to_owned());
        }
    }
    assert!(distinct.len() > 2000, "{} patterns", distinct.len());
    let failing: Vec<&String> = distinct.iter().filter(|p| !Pattern::new((*p).clone()).compiles()).collect();
    assert!(failing.is_empty(), "{} of {} do not compile: {failing:#?}", failing.len(), distinct.len());
}
