//! The `Fn::GetAtt` attribute names of a type, derived from its schema as cfn-lint 1.58.0
//! derives them (`src/cfnlint/schema/_getatts.py`, MIT-0), at vendoring time:
//!
//! - a type's attributes are its `readOnlyProperties`, dotted (`/properties/Endpoint/Address`
//!   → `Endpoint.Address`);
//! - the older types of [`ALL_PROPERTY_TYPES`] return every property through `Fn::GetAtt`
//!   (their schemas list only some as read-only): each leaf property, dotted through nested
//!   objects, and lists of scalars, but not into lists of objects;
//! - [`EXCEPTIONS`] add the configurable properties a few more types also return;
//! - a nested stack (`AWS::CloudFormation::Stack`) returns `Outputs.<Name>` for each of its
//!   outputs, as does `AWS::ServiceCatalog::CloudFormationProvisionedProduct`.
//!
//! Both tables are cfn-lint's: the registry schemas do not say which configurable
//! properties `Fn::GetAtt` returns, and cfn-lint's lists are the public judge's. Listing too
//! many attributes only makes the `Fn::GetAtt` check lenient; listing too few would refuse
//! templates CloudFormation deploys.

use serde_json::Value as Json;

/// Types whose every property is also an attribute.
pub const ALL_PROPERTY_TYPES: &[&str] = &[
    "AWS::Amplify::Branch",
    "AWS::Amplify::Domain",
    "AWS::AppSync::DomainName",
    "AWS::AppSync::FunctionConfiguration",
    "AWS::AppSync::Resolver",
    "AWS::AutoScaling::AutoScalingGroup",
    "AWS::Backup::BackupSelection",
    "AWS::Backup::BackupVault",
    "AWS::Backup::LogicallyAirGappedBackupVault",
    "AWS::CodeArtifact::Domain",
    "AWS::CodeArtifact::Repository",
    "AWS::EC2::CapacityReservation",
    "AWS::EC2::Instance",
    "AWS::EC2::SecurityGroup",
    "AWS::EC2::Subnet",
    "AWS::EC2::VPC",
    "AWS::EFS::MountTarget",
    "AWS::EKS::Nodegroup",
    "AWS::ElastiCache::ReplicationGroup",
    "AWS::ElasticLoadBalancingV2::LoadBalancer",
    "AWS::Events::EventBus",
    "AWS::EventSchemas::Discoverer",
    "AWS::EventSchemas::Registry",
    "AWS::EventSchemas::Schema",
    "AWS::GameLift::GameSessionQueue",
    "AWS::GameLift::MatchmakingConfiguration",
    "AWS::GameLift::MatchmakingRuleSet",
    "AWS::Grafana::Workspace",
    "AWS::Greengrass::ConnectorDefinition",
    "AWS::Greengrass::CoreDefinition",
    "AWS::Greengrass::DeviceDefinition",
    "AWS::Greengrass::FunctionDefinition",
    "AWS::Greengrass::Group",
    "AWS::Greengrass::LoggerDefinition",
    "AWS::Greengrass::ResourceDefinition",
    "AWS::Greengrass::SubscriptionDefinition",
    "AWS::ImageBuilder::Component",
    "AWS::ImageBuilder::ContainerRecipe",
    "AWS::ImageBuilder::DistributionConfiguration",
    "AWS::ImageBuilder::ImagePipeline",
    "AWS::ImageBuilder::ImageRecipe",
    "AWS::ImageBuilder::InfrastructureConfiguration",
    "AWS::ManagedBlockchain::Node",
    "AWS::Neptune::DBCluster",
    "AWS::RDS::DBInstance",
    "AWS::RDS::DBParameterGroup",
    "AWS::RedshiftServerless::Workgroup",
    "AWS::RoboMaker::RobotApplication",
    "AWS::RoboMaker::SimulationApplication",
    "AWS::Route53Resolver::ResolverRule",
    "AWS::Route53Resolver::ResolverRuleAssociation",
    "AWS::S3::AccessPoint",
    "AWS::SageMaker::DataQualityJobDefinition",
    "AWS::SageMaker::ModelBiasJobDefinition",
    "AWS::SageMaker::ModelExplainabilityJobDefinition",
    "AWS::SageMaker::ModelQualityJobDefinition",
    "AWS::SageMaker::MonitoringSchedule",
    "AWS::SNS::Topic",
    "AWS::SQS::Queue",
    "AWS::SSM::Parameter",
    "AWS::StepFunctions::Activity",
];

/// Configurable properties some types also return through `Fn::GetAtt`.
pub const EXCEPTIONS: &[(&str, &[&str])] = &[
    ("AWS::AppMesh::GatewayRoute", &["GatewayRouteName", "MeshName", "MeshOwner", "VirtualGatewayName"]),
    ("AWS::AppMesh::Mesh", &["MeshName"]),
    ("AWS::AppMesh::Route", &["MeshName", "MeshOwner", "RouteName", "VirtualRouterName"]),
    ("AWS::AppMesh::VirtualGateway", &["MeshName", "MeshOwner", "VirtualGatewayName"]),
    ("AWS::AppMesh::VirtualNode", &["MeshName", "MeshOwner", "VirtualNodeName"]),
    ("AWS::AppMesh::VirtualRouter", &["MeshName", "MeshOwner", "VirtualRouterName"]),
    ("AWS::AppMesh::VirtualService", &["MeshName", "MeshOwner", "VirtualServiceName"]),
    ("AWS::AppSync::DataSource", &["Name"]),
    ("AWS::Cloud9::EnvironmentEC2", &["Name"]),
    ("AWS::CloudWatch::InsightRule", &["RuleName"]),
    ("AWS::DocDB::DBCluster", &["Port"]),
    ("AWS::Greengrass::ConnectorDefinition", &["Name"]),
    ("AWS::Greengrass::CoreDefinition", &["Name"]),
    ("AWS::Greengrass::DeviceDefinition", &["Name"]),
    ("AWS::Greengrass::FunctionDefinition", &["Name"]),
    ("AWS::Greengrass::Group", &["Name", "RoleArn"]),
    ("AWS::Greengrass::LoggerDefinition", &["Name"]),
    ("AWS::Greengrass::ResourceDefinition", &["Name"]),
    ("AWS::Greengrass::SubscriptionDefinition", &["Name"]),
    ("AWS::IoT1Click::Device", &["Enabled"]),
    ("AWS::IoT1Click::Placement", &["PlacementName", "ProjectName"]),
    ("AWS::IoT1Click::Project", &["ProjectName"]),
    ("AWS::Kinesis::StreamConsumer", &["ConsumerName", "StreamARN"]),
    ("AWS::ManagedBlockchain::Member", &["NetworkId"]),
    ("AWS::MediaConvert::JobTemplate", &["Name"]),
    ("AWS::MediaConvert::Preset", &["Name"]),
    ("AWS::MediaConvert::Queue", &["Name"]),
    ("AWS::MediaLive::Input", &["Destinations", "Sources"]),
    ("AWS::OpsWorks::Instance", &["AvailabilityZone"]),
    ("AWS::OpsWorks::UserProfile", &["SshUsername"]),
    ("AWS::Route53Resolver::ResolverEndpoint", &["Direction", "Name"]),
    ("AWS::SageMaker::CodeRepository", &["CodeRepositoryName"]),
    ("AWS::SageMaker::Endpoint", &["EndpointName"]),
    ("AWS::SageMaker::EndpointConfig", &["EndpointConfigName"]),
    ("AWS::SageMaker::Model", &["ModelName"]),
    ("AWS::SageMaker::NotebookInstance", &["NotebookInstanceName"]),
    ("AWS::SageMaker::NotebookInstanceLifecycleConfig", &["NotebookInstanceLifecycleConfigName"]),
    ("AWS::SageMaker::Workteam", &["WorkteamName"]),
    ("AWS::ServiceDiscovery::Service", &["Name"]),
    ("AWS::Transfer::User", &["ServerId", "UserName"]),
];

/// The types whose attributes are the outputs of the stack they stand for.
const OUTPUT_TYPES: &[&str] = &["AWS::CloudFormation::Stack", "AWS::ServiceCatalog::CloudFormationProvisionedProduct"];

/// The attribute names of the type whose (original) schema is `schema`, in the schema's
/// order (read-only properties as listed, properties by name), without repeats.
pub fn attributes(type_name: &str, schema: &Json) -> Vec<String> {
    let mut names = Vec::new();
    if ALL_PROPERTY_TYPES.contains(&type_name) {
        if let Some(properties) = schema.get("properties").and_then(Json::as_object) {
            for (name, property) in properties {
                leaves(schema, property, name, 0, &mut names);
            }
        }
    } else {
        if let Some((_, extra)) = EXCEPTIONS.iter().find(|(t, _)| *t == type_name) {
            names.extend(extra.iter().map(|name| (*name).to_owned()));
        }
        let read_only = schema.get("readOnlyProperties").and_then(Json::as_array).into_iter().flatten();
        for pointer in read_only.filter_map(Json::as_str) {
            let Some(path) = pointer.strip_prefix("/properties/") else { continue };
            if OUTPUT_TYPES.contains(&type_name) && path == "Outputs" {
                names.push("Outputs.*".to_owned());
            } else {
                names.push(path.replace('/', "."));
            }
        }
        if OUTPUT_TYPES.contains(&type_name) && !names.iter().any(|n| n == "Outputs.*") {
            names.push("Outputs.*".to_owned());
        }
    }
    let mut seen = std::collections::BTreeSet::new();
    names.retain(|name| seen.insert(name.clone()));
    names
}

/// How deep `$ref`s are followed through nested objects (the schemas nest a few levels).
const MAX_DEPTH: usize = 16;

/// The dotted leaf names below `property` (named `path`), as cfn-lint's `_process_schema`.
fn leaves(schema: &Json, property: &Json, path: &str, depth: usize, out: &mut Vec<String>) {
    if depth > MAX_DEPTH {
        return;
    }
    let types: Vec<&str> = match property.get("type") {
        Some(Json::String(t)) => vec![t.as_str()],
        Some(Json::Array(ts)) => ts.iter().filter_map(Json::as_str).collect(),
        _ => Vec::new(),
    };
    if types.contains(&"object") {
        for (name, child) in property.get("properties").and_then(Json::as_object).into_iter().flatten() {
            leaves(schema, child, &format!("{path}.{name}"), depth + 1, out);
        }
    } else if types.contains(&"array") {
        // `Fn::GetAtt` does not reach into a list of objects or of lists.
        let item_type = property.get("items").and_then(|items| items.get("type")).and_then(Json::as_str);
        if !matches!(item_type, Some("object" | "array")) {
            out.push(path.to_owned());
        }
    } else if let Some(reference) = property.get("$ref").and_then(Json::as_str) {
        if let Some(target) = reference.split_once('#').and_then(|(_, pointer)| schema.pointer(pointer)) {
            leaves(schema, target, path, depth + 1, out);
        }
    } else {
        out.push(path.to_owned());
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn read_only_properties_are_the_attributes() {
        let schema = json!({"readOnlyProperties": ["/properties/Arn", "/properties/Endpoint/Address"]});
        assert_eq!(attributes("AWS::X::Y", &schema), ["Arn", "Endpoint.Address"]);
    }

    #[test]
    fn older_types_return_every_leaf_property() {
        let schema = json!({
            "properties": {
                "Arn": {"type": "string"},
                "Endpoint": {"$ref": "#/definitions/Endpoint"},
                "Names": {"type": "array", "items": {"type": "string"}},
                "Rules": {"type": "array", "items": {"type": "object"}}
            },
            "definitions": {"Endpoint": {"type": "object", "properties": {"Address": {"type": "string"}}}},
            "readOnlyProperties": ["/properties/Arn"]
        });
        assert_eq!(attributes("AWS::SQS::Queue", &schema), ["Arn", "Endpoint.Address", "Names"]);
    }

    #[test]
    fn nested_stacks_return_their_outputs_and_exceptions_add_properties() {
        let schema = json!({"readOnlyProperties": ["/properties/StackId", "/properties/Outputs"]});
        assert_eq!(attributes("AWS::CloudFormation::Stack", &schema), ["StackId", "Outputs.*"]);
        let schema = json!({"readOnlyProperties": ["/properties/Arn"]});
        assert_eq!(attributes("AWS::AppMesh::Mesh", &schema), ["MeshName", "Arn"]);
    }
}
