//! Defaults and rules of the EFS file system.

mod common;

use serde_json::json;
use stackwright_cfn::efs::file_system::TransitionToIa;
use stackwright_constructs::ConstructPath;
use stackwright_constructs::ec2::Networking;
use stackwright_constructs::ecs::{FargateService, FargateServiceProps};
use stackwright_constructs::efs::{FileSystem, FileSystemProps};
use stackwright_template::{RemovalPolicy, Value, fns};

fn error(networking: &Networking, props: impl FnOnce(FileSystemProps) -> FileSystemProps) -> String {
    let (mut stack, key) = common::stack();
    let props = props(FileSystemProps::new(&key, networking));
    FileSystem::new(&mut stack, "Files", props).unwrap();
    common::errors(stack)
}

#[test]
fn defaults_encrypt_back_up_retain_and_mount_in_two_subnets() {
    let (mut stack, key) = common::stack();
    let networking = common::networking();
    let files = FileSystem::new(&mut stack, "Files", FileSystemProps::new(&key, &networking)).unwrap();
    assert_eq!(files.file_system_id().to_json(), json!({"Ref": "Files"}));
    assert_eq!(files.arn().to_json(), json!({"Fn::GetAtt": ["Files", "Arn"]}));
    assert_eq!(files.access_point_id().to_json(), json!({"Ref": "FilesAccessPoint"}));
    assert_eq!(files.mount_targets().len(), 2);
    assert_eq!(files.resource().logical_id().as_str(), "Files");
    let t = common::finish(stack);
    let fs = &t["Resources"]["Files"];
    assert_eq!(fs["DeletionPolicy"], "Retain");
    assert_eq!(fs["UpdateReplacePolicy"], "Retain");
    assert_eq!(
        fs["Properties"],
        json!({"Encrypted": true, "KmsKeyId": {"Fn::GetAtt": ["Key", "Arn"]},
               "BackupPolicy": {"Status": "ENABLED"},
               "LifecyclePolicies": [{"TransitionToIA": "AFTER_30_DAYS"},
                                     {"TransitionToPrimaryStorageClass": "AFTER_1_ACCESS"}]})
    );
    for i in 0..2 {
        assert_eq!(
            t["Resources"][format!("FilesMountTarget{i}")]["Properties"],
            json!({"FileSystemId": {"Ref": "Files"},
                   "SecurityGroups": [{"Fn::GetAtt": ["FilesSecurityGroup", "GroupId"]}],
                   "SubnetId": {"Fn::Select": [i, ["subnet-aaaa1111", "subnet-bbbb2222"]]}})
        );
    }
    assert!(t["Resources"].get("FilesMountTarget2").is_none());
    assert_eq!(
        t["Resources"]["FilesAccessPoint"]["Properties"],
        json!({"FileSystemId": {"Ref": "Files"},
               "PosixUser": {"Gid": "1000", "Uid": "1000"},
               "RootDirectory": {"Path": "/data",
                                 "CreationInfo": {"OwnerGid": "1000", "OwnerUid": "1000", "Permissions": "750"}}})
    );
    let group = &t["Resources"]["FilesSecurityGroup"]["Properties"];
    assert!(group.get("SecurityGroupIngress").is_none());
    assert_eq!(group["SecurityGroupEgress"][0]["Description"], "Disallow all traffic");
    let key_statements = t["Resources"]["Key"]["Properties"]["KeyPolicy"]["Statement"].as_array().unwrap().clone();
    let efs = key_statements.iter().find(|s| s["Sid"] == "ElasticFileSystemEncryptsFiles").unwrap();
    assert_eq!(
        efs["Condition"],
        json!({"StringEquals": {
            "kms:ViaService": {"Fn::Sub": "elasticfilesystem.${AWS::Region}.amazonaws.com"},
            "kms:CallerAccount": {"Ref": "AWS::AccountId"}}})
    );
    assert_eq!(efs["Principal"], json!({"AWS": {"Fn::Sub": "arn:${AWS::Partition}:iam::${AWS::AccountId}:root"}}));
    assert!(efs["Action"].as_array().unwrap().contains(&json!("kms:CreateGrant")));
}

#[test]
fn subnets_from_a_parameter_are_selected_by_count() {
    let (mut stack, key) = common::stack();
    let networking = Networking {
        vpc_id: "vpc-1".into(),
        private_subnets: fns::split(",", fns::sub("${Subnets}")),
        public_subnets: Vec::<Value<String>>::new().into(),
        public_ready: Vec::new(),
        private_ready: Vec::new(),
    };
    let props = FileSystemProps::new(&key, &networking)
        .subnet_count(3)
        .posix_user(2000, 3000)
        .root_directory("/uploads")
        .transition_to_ia(TransitionToIa::After90Days)
        .removal_policy(RemovalPolicy::Snapshot);
    FileSystem::new(&mut stack, "Files", props).unwrap();
    let t = common::finish(stack);
    assert_eq!(t["Resources"]["FilesMountTarget2"]["Properties"]["SubnetId"]["Fn::Select"][0], 2);
    let ap = &t["Resources"]["FilesAccessPoint"]["Properties"];
    assert_eq!(ap["PosixUser"], json!({"Gid": "3000", "Uid": "2000"}));
    assert_eq!(ap["RootDirectory"]["Path"], "/uploads");
    assert_eq!(t["Resources"]["Files"]["Properties"]["LifecyclePolicies"][0]["TransitionToIA"], "AFTER_90_DAYS");
    assert_eq!(t["Resources"]["Files"]["DeletionPolicy"], "Snapshot");
}

#[test]
fn nfs_is_open_only_between_the_service_and_the_mount_targets() {
    let (mut stack, key) = common::stack();
    let networking = common::networking();
    let files = FileSystem::new(&mut stack, "Files", FileSystemProps::new(&key, &networking)).unwrap();
    let (cluster, _) = common::cluster_and_task(&mut stack, &key);
    let props = stackwright_constructs::ecs::FargateTaskDefinitionProps::new(
        &key,
        stackwright_constructs::ecs::FargateSize::CPU_256_MEMORY_512,
        common::web_container(),
    )
    .efs_volume(files.volume("data", "/data"))
    .efs_volume(files.volume("cache", "/cache").read_only(true));
    let task = stackwright_constructs::ecs::FargateTaskDefinition::new(&mut stack, "Task", props).unwrap();
    assert_eq!(task.volume_dependencies().len(), 4);
    let service = FargateService::new(
        &mut stack,
        ConstructPath::root("Web").child("Service"),
        FargateServiceProps::new(&cluster, &task, &networking),
    )
    .unwrap();
    files.allow_service(&mut stack, &service).unwrap();
    files.allow_from(&mut stack, "FromBastion", "sg-0123456789abcdef0".into()).unwrap();
    let t = common::finish(stack);
    assert_eq!(t["Resources"]["FilesSecurityGroupFromBastion"]["Properties"]["Description"], "NFS from FromBastion");
    assert_eq!(
        t["Resources"]["FilesSecurityGroupFromBastion"]["Properties"]["SourceSecurityGroupId"],
        "sg-0123456789abcdef0"
    );
    assert_eq!(
        t["Resources"]["FilesSecurityGroupFromWebService"]["Properties"],
        json!({"GroupId": {"Fn::GetAtt": ["FilesSecurityGroup", "GroupId"]}, "IpProtocol": "tcp",
               "SourceSecurityGroupId": {"Fn::GetAtt": ["WebServiceSecurityGroup", "GroupId"]},
               "FromPort": 2049, "ToPort": 2049, "Description": "NFS from the tasks of Web/Service"})
    );
    assert_eq!(
        t["Resources"]["WebServiceSecurityGroupNfsToFiles"]["Properties"],
        json!({"GroupId": {"Fn::GetAtt": ["WebServiceSecurityGroup", "GroupId"]}, "IpProtocol": "tcp",
               "DestinationSecurityGroupId": {"Fn::GetAtt": ["FilesSecurityGroup", "GroupId"]},
               "FromPort": 2049, "ToPort": 2049, "Description": "NFS to Files"})
    );
    assert_eq!(
        t["Resources"]["WebService"]["DependsOn"],
        json!([
            "FilesMountTarget0",
            "FilesMountTarget1",
            "FilesSecurityGroupFromWebService",
            "WebServiceSecurityGroupHttps",
            "WebServiceSecurityGroupNfsToFiles"
        ])
    );
}

#[test]
fn subnet_count_and_root_directory_rules() {
    let networking = common::networking();
    insta::assert_snapshot!(error(&networking, |p| p.subnet_count(0).root_directory("/")), @r#"
Files: root_directory must be an absolute path other than /, up to 100 characters, got "/" [efs/root-directory]
Files: subnet_count must be 1..=6, got 0 [efs/subnet-count]
"#);
    insta::assert_snapshot!(error(&networking, |p| p.subnet_count(3).root_directory("data/")), @r#"
Files: root_directory must be an absolute path other than /, up to 100 characters, got "data/" [efs/root-directory]
Files: subnet_count is 3 but networking has 2 private subnets [efs/subnet-count]
"#);
    insta::assert_snapshot!(error(&networking, |p| p.subnet_count(7)), @r#"
Files: subnet_count is 7 but networking has 2 private subnets [efs/subnet-count]
Files: subnet_count must be 1..=6, got 7 [efs/subnet-count]
"#);
}
