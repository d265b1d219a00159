//! Defaults and rules of the Fargate task definition and its containers.

mod common;

use serde_json::json;
use stackwright_constructs::ConstructPath;
use stackwright_constructs::ecs::{
    ContainerDefinition, ContainerImage, ContainerSecret, CpuArchitecture, EfsVolume, FargateSize,
    FargateTaskDefinition, FargateTaskDefinitionProps, HealthCheck, SecretSource,
};
use stackwright_constructs::iam::{Action, Grantee, Statement};
use stackwright_template::fns;

fn build(props: impl FnOnce(FargateTaskDefinitionProps) -> FargateTaskDefinitionProps) -> serde_json::Value {
    let (mut stack, key) = common::stack();
    let props = props(FargateTaskDefinitionProps::new(&key, FargateSize::CPU_256_MEMORY_512, common::web_container()));
    FargateTaskDefinition::new(&mut stack, ConstructPath::root("Web").child("Task"), props).unwrap();
    common::finish(stack)
}

fn error(
    container: ContainerDefinition,
    props: impl FnOnce(FargateTaskDefinitionProps) -> FargateTaskDefinitionProps,
) -> String {
    let (mut stack, key) = common::stack();
    let props = props(FargateTaskDefinitionProps::new(&key, FargateSize::CPU_256_MEMORY_512, container));
    FargateTaskDefinition::new(&mut stack, ConstructPath::root("Web").child("Task"), props).unwrap();
    common::errors(stack)
}

fn ecr_image() -> ContainerImage {
    ContainerImage::FromRepository {
        uri: fns::sub("${AWS::AccountId}.dkr.ecr.${AWS::Region}.amazonaws.com/shop"),
        arn: "arn:aws:ecr:us-east-1:111122223333:repository/shop".into(),
        tag: "v1".into(),
    }
}

#[test]
fn defaults_are_read_only_unprivileged_essential_and_logged() {
    let t = build(|p| p);
    let task = &t["Resources"]["WebTask"]["Properties"];
    assert_eq!(task["Cpu"], "256");
    assert_eq!(task["Memory"], "512");
    assert_eq!(task["NetworkMode"], "awsvpc");
    assert_eq!(task["RequiresCompatibilities"], json!(["FARGATE"]));
    assert_eq!(task["RuntimePlatform"], json!({"CpuArchitecture": "X86_64", "OperatingSystemFamily": "LINUX"}));
    assert_eq!(task["Family"], json!({"Fn::Sub": "${AWS::StackName}-WebTask"}));
    assert_eq!(task["ExecutionRoleArn"], json!({"Fn::GetAtt": ["WebTaskExecutionRole", "Arn"]}));
    assert_eq!(task["TaskRoleArn"], json!({"Fn::GetAtt": ["WebTaskTaskRole", "Arn"]}));
    assert!(task.get("Volumes").is_none());
    let container = &task["ContainerDefinitions"][0];
    assert_eq!(container["Name"], "web");
    assert_eq!(container["Image"], "public.ecr.aws/nginx/nginx:1.27");
    assert_eq!(container["ReadonlyRootFilesystem"], true);
    assert_eq!(container["Privileged"], false);
    assert_eq!(container["Essential"], true);
    assert_eq!(container["PortMappings"], json!([{"ContainerPort": 8080, "Protocol": "tcp"}]));
    assert_eq!(
        container["LogConfiguration"],
        json!({"LogDriver": "awslogs", "Options": {
            "awslogs-group": {"Ref": "WebTaskLogs"},
            "awslogs-region": {"Fn::Sub": "${AWS::Region}"},
            "awslogs-stream-prefix": "web"
        }})
    );
    assert!(container.get("HealthCheck").is_none());
    let logs = &t["Resources"]["WebTaskLogs"];
    assert_eq!(logs["Properties"]["RetentionInDays"], 365);
    assert_eq!(logs["Properties"]["KmsKeyId"], json!({"Fn::GetAtt": ["Key", "Arn"]}));
    assert_eq!(logs["DeletionPolicy"], "Retain");
}

#[test]
fn the_execution_role_only_writes_the_log_group_and_the_task_role_starts_empty() {
    let t = build(|p| p);
    let execution = &t["Resources"]["WebTaskExecutionRole"]["Properties"];
    assert_eq!(
        execution["Policies"][0]["PolicyDocument"]["Statement"],
        json!([{"Action": ["logs:CreateLogStream", "logs:PutLogEvents"], "Effect": "Allow",
                "Resource": {"Fn::GetAtt": ["WebTaskLogs", "Arn"]}}])
    );
    assert_eq!(
        execution["AssumeRolePolicyDocument"]["Statement"][0]["Principal"],
        json!({"Service": "ecs-tasks.amazonaws.com"})
    );
    assert!(t["Resources"]["WebTaskTaskRole"]["Properties"].get("Policies").is_none());
}

#[test]
fn the_task_role_is_a_grantee() {
    let (mut stack, key) = common::stack();
    let props = FargateTaskDefinitionProps::new(&key, FargateSize::CPU_256_MEMORY_512, common::web_container());
    let task = FargateTaskDefinition::new(&mut stack, "Task", props).unwrap();
    assert_eq!(task.container_name(), "web");
    assert_eq!(task.container_port(), Some(8080));
    assert_eq!(task.arn().to_json(), json!({"Ref": "Task"}));
    assert_eq!(task.family().to_json(), json!({"Fn::Sub": "${AWS::StackName}-Task"}));
    assert_ne!(task.execution_role().arn(), task.task_role().arn());
    assert_eq!(task.log_group().logical_id().as_str(), "TaskLogs");
    assert_eq!(task.resource().logical_id().as_str(), "Task");
    let read = Statement::allow([Action::from_static("s3:GetObject")]).on("arn:aws:s3:::b/*");
    task.task_role().grant(&mut stack, read).unwrap();
    let t = common::finish(stack);
    assert_eq!(
        t["Resources"]["TaskTaskRole"]["Properties"]["Policies"][0]["PolicyDocument"]["Statement"][0]["Action"],
        "s3:GetObject"
    );
}

#[test]
fn an_ecr_image_is_pulled_from_that_repository_only() {
    let container = ContainerDefinition::new("web", ecr_image());
    let t = build(|mut p| {
        p.container = container;
        p
    });
    let task = &t["Resources"]["WebTask"]["Properties"];
    assert_eq!(
        task["ContainerDefinitions"][0]["Image"],
        json!({"Fn::Join": [":", [{"Fn::Sub": "${AWS::AccountId}.dkr.ecr.${AWS::Region}.amazonaws.com/shop"}, "v1"]]})
    );
    let statements =
        &t["Resources"]["WebTaskExecutionRole"]["Properties"]["Policies"][0]["PolicyDocument"]["Statement"];
    assert_eq!(
        statements[1],
        json!({"Action": ["ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"],
               "Effect": "Allow", "Resource": "arn:aws:ecr:us-east-1:111122223333:repository/shop"})
    );
    assert_eq!(statements[2], json!({"Action": "ecr:GetAuthorizationToken", "Effect": "Allow", "Resource": "*"}));
    assert_eq!(statements.as_array().unwrap().len(), 3);
}

#[test]
fn secrets_are_read_one_by_one_and_decrypted_only_where_a_key_is_given() {
    let container = common::web_container()
        .secret("DB", ContainerSecret::new(SecretSource::SsmParameterName("/shop/db".into())))
        .secret(
            "TOKEN",
            ContainerSecret::new(SecretSource::SsmParameterArn(
                "arn:aws:ssm:us-east-1:111122223333:parameter/t".into(),
            ))
            .kms_key("arn:aws:kms:us-east-1:111122223333:key/k"),
        )
        .secret(
            "API",
            ContainerSecret::new(SecretSource::SecretsManager {
                arn: "arn:aws:secretsmanager:us-east-1:111122223333:secret:api-AbCdEf".into(),
                json_key: Some("key".into()),
            }),
        );
    let t = build(|mut p| {
        p.container = container;
        p
    });
    assert_eq!(
        t["Resources"]["WebTask"]["Properties"]["ContainerDefinitions"][0]["Secrets"],
        json!([
            {"Name": "API", "ValueFrom": {"Fn::Sub": ["${Secret}:key::", {"Secret": "arn:aws:secretsmanager:us-east-1:111122223333:secret:api-AbCdEf"}]}},
            {"Name": "DB", "ValueFrom": {"Fn::Sub": "arn:${AWS::Partition}:ssm:${AWS::Region}:${AWS::AccountId}:parameter/shop/db"}},
            {"Name": "TOKEN", "ValueFrom": "arn:aws:ssm:us-east-1:111122223333:parameter/t"}
        ])
    );
    let statements =
        &t["Resources"]["WebTaskExecutionRole"]["Properties"]["Policies"][0]["PolicyDocument"]["Statement"];
    assert_eq!(
        statements,
        &json!([
            {"Action": ["logs:CreateLogStream", "logs:PutLogEvents"], "Effect": "Allow", "Resource": {"Fn::GetAtt": ["WebTaskLogs", "Arn"]}},
            {"Action": "secretsmanager:GetSecretValue", "Effect": "Allow", "Resource": "arn:aws:secretsmanager:us-east-1:111122223333:secret:api-AbCdEf"},
            {"Action": "ssm:GetParameters", "Effect": "Allow", "Resource": {"Fn::Sub": "arn:${AWS::Partition}:ssm:${AWS::Region}:${AWS::AccountId}:parameter/shop/db"}},
            {"Action": "ssm:GetParameters", "Effect": "Allow", "Resource": "arn:aws:ssm:us-east-1:111122223333:parameter/t"},
            {"Action": "kms:Decrypt", "Effect": "Allow", "Resource": "arn:aws:kms:us-east-1:111122223333:key/k"}
        ])
    );
}

#[test]
fn health_check_defaults_follow_ecs() {
    let check = HealthCheck::new(["CMD", "/healthz"]);
    assert_eq!(
        (check.interval_seconds, check.timeout_seconds, check.retries, check.start_period_seconds),
        (30, 5, 3, 0)
    );
    let container = common::web_container().health_check(check.start_period_seconds(20));
    let t = build(|mut p| {
        p.container = container;
        p
    });
    assert_eq!(
        t["Resources"]["WebTask"]["Properties"]["ContainerDefinitions"][0]["HealthCheck"],
        json!({"Command": ["CMD", "/healthz"], "Interval": 30, "Retries": 3, "StartPeriod": 20, "Timeout": 5})
    );
}

#[test]
fn sidecars_architecture_family_and_prefix_are_settable() {
    let sidecar = ContainerDefinition::new(
        "router",
        ContainerImage::Literal("public.ecr.aws/aws-observability/aws-for-fluent-bit:stable".into()),
    )
    .essential(false)
    .readonly_root_filesystem(false)
    .log_stream_prefix("fluent")
    .command(["/entrypoint.sh"]);
    let t = build(|p| p.sidecar(sidecar).cpu_architecture(CpuArchitecture::Arm64).family("shop-web"));
    let task = &t["Resources"]["WebTask"]["Properties"];
    assert_eq!(task["Family"], "shop-web");
    assert_eq!(task["RuntimePlatform"]["CpuArchitecture"], "ARM64");
    let sidecar = &task["ContainerDefinitions"][1];
    assert_eq!(sidecar["Essential"], false);
    assert_eq!(sidecar["ReadonlyRootFilesystem"], false);
    assert_eq!(sidecar["Command"], json!(["/entrypoint.sh"]));
    assert_eq!(sidecar["LogConfiguration"]["Options"]["awslogs-stream-prefix"], "fluent");
}

#[test]
fn efs_volumes_encrypt_in_transit_authorize_with_iam_and_grant_the_task_role() {
    let rw = EfsVolume::new("data", "fs-12345678", "fsap-0123456789abcdef0", "/data");
    let ro = EfsVolume::new("config", "fs-12345678", "fsap-0fedcba9876543210", "/config").read_only(true);
    let t = build(|p| p.efs_volume(rw).efs_volume(ro));
    let task = &t["Resources"]["WebTask"]["Properties"];
    assert_eq!(
        task["Volumes"][0],
        json!({"Name": "data", "EFSVolumeConfiguration": {
            "FilesystemId": "fs-12345678", "TransitEncryption": "ENABLED",
            "AuthorizationConfig": {"AccessPointId": "fsap-0123456789abcdef0", "IAM": "ENABLED"}}})
    );
    assert_eq!(
        task["ContainerDefinitions"][0]["MountPoints"],
        json!([{"ContainerPath": "/data", "ReadOnly": false, "SourceVolume": "data"},
               {"ContainerPath": "/config", "ReadOnly": true, "SourceVolume": "config"}])
    );
    let statements = &t["Resources"]["WebTaskTaskRole"]["Properties"]["Policies"][0]["PolicyDocument"]["Statement"];
    assert_eq!(statements[0]["Action"], json!(["elasticfilesystem:ClientMount", "elasticfilesystem:ClientWrite"]));
    assert_eq!(statements[1]["Action"], "elasticfilesystem:ClientMount");
    assert_eq!(
        statements[1]["Condition"],
        json!({"StringEquals": {"elasticfilesystem:AccessPointArn": {"Fn::Sub": [
            "arn:${AWS::Partition}:elasticfilesystem:${AWS::Region}:${AWS::AccountId}:access-point/${Id}",
            {"Id": "fsap-0fedcba9876543210"}]}}})
    );
    assert_eq!(
        statements[1]["Resource"],
        json!({"Fn::Sub": ["arn:${AWS::Partition}:elasticfilesystem:${AWS::Region}:${AWS::AccountId}:file-system/${Id}", {"Id": "fs-12345678"}]})
    );
}

#[test]
fn container_rules_are_reported_together() {
    let container = ContainerDefinition::new(
        "web app",
        ContainerImage::Literal("111122223333.dkr.ecr.us-east-1.amazonaws.com/shop:1".into()),
    )
    .port(0)
    .port(80)
    .port(80)
    .env("1BAD", "x")
    .env("SAME", "x")
    .secret("SAME", ContainerSecret::new(SecretSource::SsmParameterName("bad name".into())))
    .secret(
        "JSON",
        ContainerSecret::new(SecretSource::SecretsManager {
            arn: "arn:aws:secretsmanager:us-east-1:1:secret:s".into(),
            json_key: Some("a:b".into()),
        }),
    )
    .log_stream_prefix("a:b")
    .health_check(
        HealthCheck::new(["curl"]).interval_seconds(4).timeout_seconds(121).retries(0).start_period_seconds(301),
    );
    insta::assert_snapshot!(error(container, |p| p), @r#"
Web/Task: container web app: port 80 is mapped twice [ecs-container/duplicate-port]
Web/Task: container web app: SAME is both an environment variable and a secret [ecs-container/duplicate-variable]
Web/Task: container web app: image "111122223333.dkr.ecr.us-east-1.amazonaws.com/shop:1" is in a private ECR repository; use ContainerImage::FromRepository so the execution role may pull it [ecs-container/ecr-literal-image]
Web/Task: container web app: health check command must be ["CMD", ...] or ["CMD-SHELL", "..."], got ["curl"] [ecs-container/health-check-command]
Web/Task: container web app: health check interval_seconds must be 5..=300, got 4 [ecs-container/health-check-range]
Web/Task: container web app: health check retries must be 1..=10, got 0 [ecs-container/health-check-range]
Web/Task: container web app: health check start_period_seconds must be 0..=300, got 301 [ecs-container/health-check-range]
Web/Task: container web app: health check timeout_seconds must be 2..=120, got 121 [ecs-container/health-check-range]
Web/Task: container web app: log stream prefix must be 1-512 characters without `:` or `*`, got "a:b" [ecs-container/log-stream-prefix]
Web/Task: container name must be 1-255 letters, digits, hyphens or underscores, got "web app" [ecs-container/name]
Web/Task: container web app: port must be 1..=65535, got 0 [ecs-container/port]
Web/Task: container web app: secret JSON: the JSON key must be non-empty without `:`, got "a:b" [ecs-container/secret-json-key]
Web/Task: container web app: secret SAME: SSM parameter names are 1-2048 of A-Z a-z 0-9 _ . - /, got "bad name" [ecs-container/ssm-parameter-name]
Web/Task: container web app: environment variable names are [A-Za-z_][A-Za-z0-9_]*, got "1BAD" [ecs-container/variable-name]
"#);
}

#[test]
fn an_empty_image_is_refused() {
    let container = ContainerDefinition::new("web", ContainerImage::Literal(" ".into()));
    insta::assert_snapshot!(error(container, |p| p), @r#"
Web/Task: container web: the image reference is empty [ecs-container/empty-image]
"#);
}

#[test]
fn task_rules_are_reported_together() {
    let main = common::web_container().essential(false);
    let twin = common::web_container();
    let volume = EfsVolume::new("data", "fs-1", "fsap-1", "/data");
    insta::assert_snapshot!(error(main, |p| p
        .sidecar(twin)
        .family("shop web")
        .efs_volume(volume.clone())
        .efs_volume(volume)
        .efs_volume(EfsVolume::new("bad name", "fs-1", "fsap-1", "relative"))), @r#"
Web/Task: two containers are named "web" [ecs-task/duplicate-container]
Web/Task: two volumes are mounted at /data [ecs-task/duplicate-mount]
Web/Task: two volumes are named "data" [ecs-task/duplicate-volume]
Web/Task: family must be 1-255 letters, digits, hyphens or underscores, got "shop web" [ecs-task/family]
Web/Task: the main container web is always essential; essential(false) is for sidecars [ecs-task/main-not-essential]
Web/Task: volume bad name: container_path must be an absolute path other than /, got "relative" [ecs-task/volume-container-path]
Web/Task: volume name must be 1-255 letters, digits, hyphens or underscores, got "bad name" [ecs-task/volume-name]
"#);
}
