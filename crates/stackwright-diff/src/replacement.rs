//! Which property changes replace a resource, from the whole us-east-1 registry
//! ([`stackwright_registry`]): a type's `createOnlyProperties` (a change replaces it),
//! `conditionalCreateOnlyProperties` (a change replaces it in some cases: `may replace`), and
//! a short list of replacements AWS documents that the registry schema omits ([`OMITTED`]).
//!
//! What a type name is decides how far the registry helps ([`Kind`]):
//! - a registry type: its schema's lists;
//! - a custom resource (`Custom::*`, `AWS::CloudFormation::CustomResource`): the registry's
//!   `AWS::CloudFormation::CustomResource` schema, where `ServiceToken` is create-only. AWS
//!   documents `ServiceToken` as "Updates aren't supported"
//!   (<https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-cfn-customresource.html>):
//!   CloudFormation fails the update ("Modifying service token is not allowed"). Any other
//!   property change is sent to the provider as an `Update` request
//!   (<https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/crpg-ref-requesttypes-update.html>):
//!   an update, which the provider may turn into a replacement by returning a new physical ID;
//! - a module (`Org::Service::Name::MODULE`) or a type in no us-east-1 registry: unknown, so a
//!   changed property may replace it (`not assessed`).

use stackwright_registry::TypeClass;

/// What the registry knows of a type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    /// A registry type: its create-only lists apply.
    Registry,
    /// A custom resource: `ServiceToken` is create-only, the rest goes to the provider.
    Custom,
    /// A module registered in the deploying account: its resources are not in the template.
    Module,
    /// In no us-east-1 registry (another region's type, a private extension, a typo).
    Unknown,
}

/// The kind of `type_name`.
pub(crate) fn kind(type_name: &str) -> Kind {
    match stackwright_registry::classify(type_name) {
        TypeClass::Registry => Kind::Registry,
        TypeClass::Custom => Kind::Custom,
        TypeClass::Module => Kind::Module,
        TypeClass::OtherRegions(_) | TypeClass::Unknown => Kind::Unknown,
    }
}

/// A replacement the registry schema does not list, with the AWS page that documents it.
pub(crate) struct Omitted {
    pub(crate) type_name: &'static str,
    /// The property, top level.
    pub(crate) property: &'static str,
    /// The AWS documentation page whose "Update requires: Replacement" says so.
    pub(crate) source: &'static str,
}

/// Replacements AWS documents that the registry schema omits, sorted by type.
pub(crate) const OMITTED: [Omitted; 1] = [Omitted {
    type_name: "AWS::EC2::EIP",
    property: "Domain",
    source: "https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-ec2-eip.html#cfn-ec2-eip-domain",
}];

/// The registry name whose facts a type uses (a custom resource: the custom-resource schema).
fn registry_name(type_name: &str) -> &str {
    if type_name.starts_with("Custom::") { stackwright_registry::CUSTOM_RESOURCE } else { type_name }
}

/// Schema pointers (`/properties/A/B`) as path segments from the resource root.
fn segments(pointers: &'static [String]) -> impl Iterator<Item = Vec<&'static str>> {
    pointers
        .iter()
        .filter_map(|p| p.strip_prefix("/properties/"))
        .map(|p| std::iter::once("Properties").chain(p.split('/')).collect())
}

/// The create-only pointers of a type as path segments from the resource root
/// (`/properties/Foo/Bar` -> `["Properties", "Foo", "Bar"]`), the omitted ones included.
pub(crate) fn create_only(type_name: &str) -> Vec<Vec<&'static str>> {
    let mut out: Vec<Vec<&'static str>> = stackwright_registry::facts(registry_name(type_name))
        .map(|facts| segments(&facts.create_only_properties).collect())
        .unwrap_or_default();
    out.extend(OMITTED.iter().filter(|o| o.type_name == type_name).map(|o| vec!["Properties", o.property]));
    out
}

/// The conditionally create-only pointers of a type, as path segments from the resource root.
pub(crate) fn conditional(type_name: &str) -> Vec<Vec<&'static str>> {
    stackwright_registry::facts(registry_name(type_name))
        .map(|facts| segments(&facts.conditional_create_only_properties).collect())
        .unwrap_or_default()
}

/// The documentation of an omitted replacement at `path` (`/Properties/Domain`), if it is one.
pub(crate) fn omitted_source(type_name: &str, path: &str) -> Option<&'static str> {
    OMITTED
        .iter()
        .find(|o| o.type_name == type_name && path.strip_prefix("/Properties/") == Some(o.property))
        .map(|o| o.source)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn registry_types_have_their_schema_lists() {
        assert!(create_only("AWS::SQS::Queue").contains(&vec!["Properties", "QueueName"]));
        assert!(create_only("AWS::ECR::Repository").contains(&vec!["Properties", "RepositoryName"]));
        // A type Stackwright never synthesized: known now.
        assert!(create_only("AWS::DynamoDB::Table").contains(&vec!["Properties", "TableName"]));
        assert!(conditional("AWS::EC2::Instance").contains(&vec!["Properties", "UserData"]));
        assert!(conditional("AWS::SQS::Queue").is_empty());
        assert_eq!(kind("AWS::Lambda::Function"), Kind::Registry);
    }

    #[test]
    fn custom_resources_use_the_custom_resource_schema() {
        assert_eq!(kind("Custom::Seeder"), Kind::Custom);
        assert_eq!(kind("AWS::CloudFormation::CustomResource"), Kind::Custom);
        assert_eq!(create_only("Custom::Seeder"), [vec!["Properties", "ServiceToken"]]);
        assert_eq!(create_only("AWS::CloudFormation::CustomResource"), [vec!["Properties", "ServiceToken"]]);
    }

    #[test]
    fn modules_and_unknown_types_are_not_assessed() {
        assert_eq!(kind("My::Org::Bucket::MODULE"), Kind::Module);
        assert_eq!(kind("AWS::SQS::Queu"), Kind::Unknown);
        assert!(create_only("AWS::SQS::Queu").is_empty());
    }

    #[test]
    fn omitted_replacements_add_to_the_schema() {
        for omitted in &OMITTED {
            let pointer = format!("/properties/{}", omitted.property);
            let facts = stackwright_registry::facts(omitted.type_name).expect("a registry type");
            assert!(!facts.is_create_only(&pointer), "{} {} is in the schema now: drop it", omitted.type_name, pointer);
            assert!(omitted.source.starts_with("https://docs.aws.amazon.com/"));
        }
        assert!(create_only("AWS::EC2::EIP").contains(&vec!["Properties", "Domain"]));
        assert!(omitted_source("AWS::EC2::EIP", "/Properties/Domain").is_some());
        assert!(omitted_source("AWS::EC2::EIP", "/Properties/InstanceId").is_none());
    }
}
