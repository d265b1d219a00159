//! Modules (`Org::Service::Name::MODULE`): what a template may say of one, and the names of
//! the resources it adds.
//!
//! A module's resources are named by the module's logical ID followed by their own
//! (`Ref BucketModuleBucket` for the resource `Bucket` of the module `BucketModule`): such
//! names resolve. The module's schema is registered in the deploying account, so which ones
//! exist is not known here. CloudFormation's module considerations (the user guide's "Using
//! modules", as cfn-lint's E5001 encodes them): a module takes no `CreationPolicy`,
//! `UpdatePolicy` or `Tags`, and the metadata key `AWS::CloudFormation::Module` is reserved
//! for what CloudFormation writes into the processed template.

use stackwright_template::Template;

use crate::finding::Finding;
use crate::json::pointer;

/// The metadata key CloudFormation reserves for modules.
const RESERVED_METADATA: &str = "AWS::CloudFormation::Module";

fn is_module(type_name: &str) -> bool {
    stackwright_registry::classify(type_name) == stackwright_registry::TypeClass::Module
}

/// Whether `name` can be a resource of one of the template's modules: the module's logical ID
/// followed by at least one more character.
pub(crate) fn in_module(template: &Template, name: &str) -> bool {
    template.resources().iter().any(|(id, resource)| {
        name.len() > id.as_str().len() && name.starts_with(id.as_str()) && is_module(&resource.type_name)
    })
}

pub(crate) fn check(template: &Template, out: &mut Vec<Finding>) {
    for (id, resource) in template.resources().iter().filter(|(_, r)| is_module(&r.type_name)) {
        let at = pointer("/Resources", id.as_str());
        for attribute in ["CreationPolicy", "UpdatePolicy"] {
            if resource.other_attributes.contains_key(attribute) {
                let message = format!("a module takes no {attribute}; set it on the module's own resources");
                out.push(Finding::new("module/attribute", pointer(&at, attribute), message).about(id.as_str()));
            }
        }
        if resource.properties.contains_key("Tags") {
            let message = "a module takes no Tags property; tag the resources inside the module";
            out.push(Finding::new("module/attribute", format!("{at}/Properties/Tags"), message).about(id.as_str()));
        }
        if resource.metadata.contains_key(RESERVED_METADATA) {
            let message =
                format!("the Metadata key {RESERVED_METADATA} is reserved for CloudFormation's module records");
            out.push(
                Finding::new(
                    "module/attribute",
                    format!("{}/{}", pointer(&at, "Metadata"), RESERVED_METADATA),
                    message,
                )
                .about(id.as_str()),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    fn rules(resources: &serde_json::Value) -> Vec<(&'static str, String)> {
        let template = json!({"Resources": resources}).to_string();
        crate::validate_source(&template).findings.into_iter().map(|f| (f.rule, f.pointer)).collect()
    }

    #[test]
    fn policies_tags_and_the_reserved_metadata_key_are_refused_on_a_module() {
        let found = rules(&json!({"M": {"Type": "My::Org::Thing::MODULE", "CreationPolicy": {}, "UpdatePolicy": {},
            "Properties": {"Tags": []}, "Metadata": {"AWS::CloudFormation::Module": {}}}}));
        assert_eq!(
            found,
            [
                ("module/attribute", "/Resources/M/CreationPolicy".to_owned()),
                ("module/attribute", "/Resources/M/Metadata/AWS::CloudFormation::Module".to_owned()),
                ("module/attribute", "/Resources/M/Properties/Tags".to_owned()),
                ("module/attribute", "/Resources/M/UpdatePolicy".to_owned()),
            ]
        );
        assert_eq!(rules(&json!({"M": {"Type": "My::Org::Thing::MODULE", "Properties": {"Name": "x"}}})), []);
    }

    #[test]
    fn names_of_module_resources_resolve() {
        let module = json!({"Type": "My::S3::Bucket::MODULE", "Properties": {}});
        let uses = json!({"Type": "AWS::SNS::Topic", "DependsOn": "ModBucket", "Properties": {
            "TopicName": {"Ref": "ModBucket"}, "DisplayName": {"Fn::GetAtt": ["ModBucket", "Arn"]}}});
        assert_eq!(rules(&json!({"Mod": module, "T": uses})), []);
        let found = rules(&json!({"Other": module, "T": uses}));
        assert_eq!(found.len(), 3, "{found:?}");
    }
}
