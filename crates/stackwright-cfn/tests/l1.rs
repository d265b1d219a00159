//! Building L1 resources with literals and intrinsics, and their template JSON.

use stackwright_cfn::Tag;
use stackwright_cfn::ecr::{Repository, repository};
use stackwright_cfn::ecs::{TaskDefinition, task_definition};
use stackwright_template::{CfnResource, Intrinsic, LogicalId};

fn round_trips<T: CfnResource + PartialEq>(value: &T) {
    let json = serde_json::to_value(value).expect("serializes");
    let back: T = serde_json::from_value(json).expect("deserializes");
    assert_eq!(&back, value);
}

#[test]
fn repository_with_literals_enums_and_tags() {
    let repository = Repository::new()
        .repository_name("app")
        .image_tag_mutability(repository::ImageTagMutability::Immutable)
        .image_scanning_configuration(repository::ImageScanningConfiguration::new().scan_on_push(true))
        .encryption_configuration(
            repository::EncryptionConfiguration::new(repository::EncryptionType::Kms)
                .kms_key(Intrinsic::reference("Key")),
        )
        .tags(vec![Tag::new("team", "platform")]);
    insta::assert_json_snapshot!(repository, @r#"
    {
      "EncryptionConfiguration": {
        "EncryptionType": "KMS",
        "KmsKey": {
          "Ref": "Key"
        }
      },
      "ImageScanningConfiguration": {
        "ScanOnPush": true
      },
      "ImageTagMutability": "IMMUTABLE",
      "RepositoryName": "app",
      "Tags": [
        {
          "Key": "team",
          "Value": "platform"
        }
      ]
    }
    "#);
    round_trips(&repository);
}

#[test]
fn task_definition_number_and_list_fields_take_intrinsics() {
    let container = task_definition::ContainerDefinition::new(Intrinsic::get_att("Repo", "RepositoryUri"), "app")
        .essential(true)
        .memory(Intrinsic::reference("Memory"))
        .port_mappings(vec![task_definition::PortMapping::new().container_port(8080)]);
    let task = TaskDefinition::new()
        .family("app")
        .cpu("256")
        .network_mode(task_definition::NetworkMode::Awsvpc)
        .requires_compatibilities(vec![task_definition::RequiresCompatibility::Fargate])
        .container_definitions(vec![container]);
    insta::assert_json_snapshot!(task, @r#"
    {
      "ContainerDefinitions": [
        {
          "Essential": true,
          "Image": {
            "Fn::GetAtt": [
              "Repo",
              "RepositoryUri"
            ]
          },
          "Memory": {
            "Ref": "Memory"
          },
          "Name": "app",
          "PortMappings": [
            {
              "ContainerPort": 8080
            }
          ]
        }
      ],
      "Cpu": "256",
      "Family": "app",
      "NetworkMode": "awsvpc",
      "RequiresCompatibilities": [
        "FARGATE"
      ]
    }
    "#);
    round_trips(&task);
}

#[test]
fn a_whole_list_can_be_an_intrinsic() {
    let task = TaskDefinition::new().requires_compatibilities(Intrinsic::reference("Compat"));
    assert_eq!(serde_json::to_string(&task).unwrap(), r#"{"RequiresCompatibilities":{"Ref":"Compat"}}"#);
    round_trips(&task);
}

#[test]
fn attributes_are_typed_get_atts() {
    let attributes = <Repository as CfnResource>::Attributes::from(LogicalId::new("Repo").unwrap());
    assert_eq!(serde_json::to_string(&attributes.arn()).unwrap(), r#"{"Fn::GetAtt":["Repo","Arn"]}"#);
    assert_eq!(
        serde_json::to_string(&attributes.repository_uri()).unwrap(),
        r#"{"Fn::GetAtt":["Repo","RepositoryUri"]}"#
    );
    assert_eq!(Repository::TYPE_NAME, "AWS::ECR::Repository");
    assert!(Repository::FACTS.create_only_properties.contains(&"/properties/RepositoryName"));
}

#[test]
fn deserializing_reports_missing_unknown_and_invalid_properties() {
    let missing = serde_json::from_str::<repository::EncryptionConfiguration>("{}").unwrap_err();
    assert_eq!(missing.to_string(), "missing required property `EncryptionType`");
    let unknown =
        serde_json::from_str::<repository::ImageScanningConfiguration>(r#"{"ScanOnPush":true,"Nope":1}"#).unwrap_err();
    assert_eq!(unknown.to_string(), "unknown property `Nope`, expected one of: ScanOnPush");
    let invalid = serde_json::from_str::<Repository>(r#"{"ImageTagMutability":"SOMETIMES"}"#).unwrap_err();
    assert!(invalid.to_string().starts_with("property `ImageTagMutability`: unknown variant `SOMETIMES`"), "{invalid}");
}

#[test]
fn enums_know_their_template_names() {
    use repository::ImageTagMutability;
    assert_eq!(ImageTagMutability::from_name("IMMUTABLE"), Some(ImageTagMutability::Immutable));
    assert_eq!(ImageTagMutability::Immutable.as_str(), "IMMUTABLE");
    assert!(ImageTagMutability::NAMES.contains(&"MUTABLE"));
}
