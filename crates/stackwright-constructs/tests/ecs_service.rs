//! Defaults and rules of the Fargate service.

mod common;

use serde_json::json;
use stackwright_constructs::ConstructPath;
use stackwright_constructs::ecs::{
    Autoscaling, Cluster, ClusterProps, DeploymentController, FargateService, FargateServiceProps, FargateSize,
    FargateTaskDefinition, FargateTaskDefinitionProps,
};
use stackwright_template::Value;

fn build(props: impl FnOnce(FargateServiceProps) -> FargateServiceProps) -> serde_json::Value {
    let (mut stack, key) = common::stack();
    let (cluster, task) = common::cluster_and_task(&mut stack, &key);
    let networking = common::networking();
    let props = props(FargateServiceProps::new(&cluster, &task, &networking));
    FargateService::new(&mut stack, ConstructPath::root("Web").child("Service"), props).unwrap();
    common::finish(stack)
}

fn error(props: impl FnOnce(FargateServiceProps) -> FargateServiceProps) -> String {
    let (mut stack, key) = common::stack();
    let (cluster, task) = common::cluster_and_task(&mut stack, &key);
    let networking = common::networking();
    let props = props(FargateServiceProps::new(&cluster, &task, &networking));
    FargateService::new(&mut stack, ConstructPath::root("Web").child("Service"), props).unwrap();
    common::errors(stack)
}

#[test]
fn defaults_roll_without_losing_capacity_and_roll_back() {
    let t = build(|p| p);
    let service = &t["Resources"]["WebService"]["Properties"];
    assert_eq!(service["DesiredCount"], 2);
    assert_eq!(
        service["DeploymentConfiguration"],
        json!({"MinimumHealthyPercent": 100, "MaximumPercent": 200,
               "DeploymentCircuitBreaker": {"Enable": true, "Rollback": true},
               // Written even when off: ECS keeps what an update leaves out.
               "Alarms": {"AlarmNames": [], "Enable": false, "Rollback": false}})
    );
    // The first tasks wait for the group's egress rule.
    assert_eq!(t["Resources"]["WebService"]["DependsOn"], json!(["WebServiceSecurityGroupHttps"]));
    assert_eq!(service["DeploymentController"], json!({"Type": "ECS"}));
    assert_eq!(service["LaunchType"], "FARGATE");
    assert_eq!(service["PlatformVersion"], "LATEST");
    assert_eq!(service["EnableExecuteCommand"], false);
    assert_eq!(service["PropagateTags"], "SERVICE");
    assert_eq!(service["Cluster"], json!({"Fn::GetAtt": ["Cluster", "Arn"]}));
    assert_eq!(service["TaskDefinition"], json!({"Ref": "WebTask"}));
    assert_eq!(
        service["NetworkConfiguration"],
        json!({"AwsvpcConfiguration": {
            "AssignPublicIp": "DISABLED",
            "SecurityGroups": [{"Fn::GetAtt": ["WebServiceSecurityGroup", "GroupId"]}],
            "Subnets": ["subnet-aaaa1111", "subnet-bbbb2222"]}})
    );
    assert!(service.get("LoadBalancers").is_none());
    assert!(service.get("HealthCheckGracePeriodSeconds").is_none());
    let group = &t["Resources"]["WebServiceSecurityGroup"]["Properties"];
    assert!(group.get("SecurityGroupIngress").is_none());
    assert_eq!(group["SecurityGroupEgress"][0]["Description"], "Disallow all traffic");
    assert_eq!(
        t["Resources"]["WebServiceSecurityGroupHttps"]["Properties"],
        json!({"GroupId": {"Fn::GetAtt": ["WebServiceSecurityGroup", "GroupId"]},
               "IpProtocol": "tcp", "CidrIp": "0.0.0.0/0", "FromPort": 443, "ToPort": 443,
               "Description": "HTTPS to ECR, S3, CloudWatch Logs and secrets, through NAT or VPC endpoints"})
    );
    assert_eq!(group["VpcId"], json!({"Fn::Sub": "${VpcId}"}));
    let types: Vec<&str> = t["Resources"].as_object().unwrap().values().map(|r| r["Type"].as_str().unwrap()).collect();
    assert!(!types.iter().any(|t| t.starts_with("AWS::ApplicationAutoScaling") || t.contains("SecurityGroupIngress")));
}

#[test]
fn accessors_name_the_service_cluster_and_group() {
    let (mut stack, key) = common::stack();
    let (cluster, task) = common::cluster_and_task(&mut stack, &key);
    let networking = common::networking();
    let service =
        FargateService::new(&mut stack, "Svc", FargateServiceProps::new(&cluster, &task, &networking)).unwrap();
    assert_eq!(service.service_name().to_json(), json!({"Fn::GetAtt": ["Svc", "Name"]}));
    assert_eq!(service.cluster_name().to_json(), json!({"Ref": "Cluster"}));
    assert_eq!(service.security_group_id().to_json(), json!({"Fn::GetAtt": ["SvcSecurityGroup", "GroupId"]}));
    assert_eq!(service.arn().to_json(), json!({"Fn::GetAtt": ["Svc", "ServiceArn"]}));
    assert_eq!(service.ref_().to_json(), json!({"Ref": "Svc"}));
    assert_eq!(service.resource().logical_id().as_str(), "Svc");
    assert!(service.scalable_target().is_none());
    assert!(service.scaling_policies().is_empty());
}

#[test]
fn a_load_balancer_opens_the_container_port_between_the_two_groups_only() {
    let t = build(|p| p.load_balancer(common::fake_target()));
    let service = &t["Resources"]["WebService"];
    assert_eq!(
        service["Properties"]["LoadBalancers"],
        json!([{"ContainerName": "web", "ContainerPort": 8080,
                "TargetGroupArn": "arn:aws:elasticloadbalancing:us-east-1:111122223333:targetgroup/web/0123456789abcdef"}])
    );
    assert_eq!(service["Properties"]["HealthCheckGracePeriodSeconds"], 60);
    assert_eq!(
        service["DependsOn"],
        json!(["LbHttpsListener", "WebServiceSecurityGroupFromLoadBalancer", "WebServiceSecurityGroupHttps"])
    );
    assert_eq!(
        t["Resources"]["WebServiceSecurityGroupFromLoadBalancer"]["Properties"],
        json!({"GroupId": {"Fn::GetAtt": ["WebServiceSecurityGroup", "GroupId"]}, "IpProtocol": "tcp",
               "SourceSecurityGroupId": "sg-0123456789abcdef0", "FromPort": 8080, "ToPort": 8080,
               "Description": "Container port 8080 from the load balancer"})
    );
    assert_eq!(
        t["Resources"]["WebServiceLoadBalancerEgress"]["Properties"],
        json!({"GroupId": "sg-0123456789abcdef0", "IpProtocol": "tcp",
               "DestinationSecurityGroupId": {"Fn::GetAtt": ["WebServiceSecurityGroup", "GroupId"]},
               "FromPort": 8080, "ToPort": 8080, "Description": "Load balancer to the tasks of Web/Service on port 8080"})
    );
}

#[test]
fn grace_period_alarms_public_ip_exec_and_controller_are_settable() {
    let t = build(|p| {
        p.load_balancer(common::fake_target())
            .health_check_grace_period_seconds(120)
            .deployment_alarms(vec![Value::from("web-5xx"), Value::from("web-latency")])
            .assign_public_ip(true)
            .desired_count(3)
    });
    let service = &t["Resources"]["WebService"]["Properties"];
    assert_eq!(service["HealthCheckGracePeriodSeconds"], 120);
    assert_eq!(
        service["DeploymentConfiguration"]["Alarms"],
        json!({"AlarmNames": ["web-5xx", "web-latency"], "Enable": true, "Rollback": true})
    );
    assert_eq!(service["NetworkConfiguration"]["AwsvpcConfiguration"]["AssignPublicIp"], "ENABLED");
    assert_eq!(service["DesiredCount"], 3);

    let t = build(|p| p.deployment_controller(DeploymentController::CodeDeploy).circuit_breaker(false));
    let service = &t["Resources"]["WebService"]["Properties"];
    assert_eq!(service["DeploymentController"], json!({"Type": "CODE_DEPLOY"}));
    assert!(service["DeploymentConfiguration"].get("DeploymentCircuitBreaker").is_none());
}

#[test]
fn autoscaling_tracks_cpu_and_memory_with_the_service_linked_role() {
    let (mut stack, key) = common::stack();
    let (cluster, task) = common::cluster_and_task(&mut stack, &key);
    let networking = common::networking();
    let props = FargateServiceProps::new(&cluster, &task, &networking)
        .autoscaling(Autoscaling::new(2, 10).cpu_target_percent(60).memory_target_percent(80));
    let service = FargateService::new(&mut stack, "Svc", props).unwrap();
    assert_eq!(service.scalable_target().unwrap().logical_id().as_str(), "SvcScalableTarget");
    assert_eq!(service.scaling_policies().len(), 2);
    let t = common::finish(stack);
    assert_eq!(
        t["Resources"]["SvcScalableTarget"]["Properties"],
        json!({"MaxCapacity": 10, "MinCapacity": 2, "ScalableDimension": "ecs:service:DesiredCount",
               "ServiceNamespace": "ecs",
               "ResourceId": {"Fn::Sub": ["service/${Cluster}/${Service}",
                   {"Cluster": {"Ref": "Cluster"}, "Service": {"Fn::GetAtt": ["Svc", "Name"]}}]}})
    );
    assert_eq!(
        t["Resources"]["SvcCpuScaling"]["Properties"],
        json!({"PolicyName": "CpuTargetTracking", "PolicyType": "TargetTrackingScaling",
               "ScalingTargetId": {"Ref": "SvcScalableTarget"},
               "TargetTrackingScalingPolicyConfiguration": {
                   "TargetValue": 60.0, "ScaleInCooldown": 300, "ScaleOutCooldown": 60,
                   "PredefinedMetricSpecification": {"PredefinedMetricType": "ECSServiceAverageCPUUtilization"}}})
    );
    assert_eq!(
        t["Resources"]["SvcMemoryScaling"]["Properties"]["TargetTrackingScalingPolicyConfiguration"]["PredefinedMetricSpecification"]
            ["PredefinedMetricType"],
        "ECSServiceAverageMemoryUtilization"
    );
}

#[test]
fn percent_rules() {
    insta::assert_snapshot!(error(|p| p.minimum_healthy_percent(150).maximum_percent(90)), @r#"
Web/Service: with desired_count 2, minimum_healthy_percent 150 and maximum_percent 90 a deployment can neither start a new task nor stop an old one; raise maximum_percent or lower minimum_healthy_percent [ecs-service/deployment-cannot-progress]
Web/Service: maximum_percent must be at least 100, got 90 [ecs-service/max-below-100]
Web/Service: minimum_healthy_percent must be at most 100, got 150 [ecs-service/min-healthy-above-100]
Web/Service: minimum_healthy_percent (150) must not exceed maximum_percent (90) [ecs-service/min-healthy-above-max]
"#);
}

#[test]
fn one_task_at_100_100_can_never_deploy() {
    insta::assert_snapshot!(error(|p| p.desired_count(1).maximum_percent(100)), @r#"
Web/Service: with desired_count 1, minimum_healthy_percent 100 and maximum_percent 100 a deployment can neither start a new task nor stop an old one; raise maximum_percent or lower minimum_healthy_percent [ecs-service/deployment-cannot-progress]
"#);
    // floor(1 * 150 / 100) = 1: no room to start a second task either.
    insta::assert_snapshot!(error(|p| p.desired_count(1).maximum_percent(150)), @r#"
Web/Service: with desired_count 1, minimum_healthy_percent 100 and maximum_percent 150 a deployment can neither start a new task nor stop an old one; raise maximum_percent or lower minimum_healthy_percent [ecs-service/deployment-cannot-progress]
"#);
    // ceil(1 * 50 / 100) = 1: stopping the only task is not allowed either.
    insta::assert_snapshot!(error(|p| p.desired_count(1).maximum_percent(100).minimum_healthy_percent(50)), @r#"
Web/Service: with desired_count 1, minimum_healthy_percent 50 and maximum_percent 100 a deployment can neither start a new task nor stop an old one; raise maximum_percent or lower minimum_healthy_percent [ecs-service/deployment-cannot-progress]
"#);
    // Two tasks at 150 % may start a third; one task at 0 % may stop itself.
    build(|p| p.desired_count(2).maximum_percent(150));
    build(|p| p.desired_count(1).maximum_percent(100).minimum_healthy_percent(0));
    build(|p| p.desired_count(0).maximum_percent(100));
}

#[test]
fn circuit_breaker_and_alarms_need_the_ecs_controller() {
    insta::assert_snapshot!(error(|p| p
        .deployment_controller(DeploymentController::CodeDeploy)
        .deployment_alarms(vec![Value::from("a")])), @r#"
Web/Service: deployment alarms need the ECS deployment controller, got CodeDeploy [ecs-service/alarms-need-ecs-controller]
Web/Service: the deployment circuit breaker needs the ECS deployment controller, got CodeDeploy; set circuit_breaker(false) [ecs-service/circuit-breaker-needs-ecs-controller]
"#);
}

#[test]
fn the_external_controller_is_refused() {
    insta::assert_snapshot!(error(|p| p.deployment_controller(DeploymentController::External).circuit_breaker(false)), @r#"
Web/Service: the EXTERNAL deployment controller takes the task definition, networking and load balancers from task sets, which FargateService does not create; use DeploymentController::Ecs or CodeDeploy [ecs-service/external-controller]
"#);
}

#[test]
fn load_balancer_rules() {
    insta::assert_snapshot!(error(|p| p.health_check_grace_period_seconds(30).load_balancer_port(8080)), @r#"
Web/Service: health_check_grace_period_seconds is only used with a load balancer, and none is set [ecs-service/grace-period-without-load-balancer]
Web/Service: load_balancer_port is set but no load balancer is [ecs-service/port-without-load-balancer]
"#);
    insta::assert_snapshot!(error(|p| p.load_balancer(common::fake_target()).load_balancer_port(9090)
        .health_check_grace_period_seconds(u32::MAX)), @r#"
Web/Service: health_check_grace_period_seconds must be at most 2147483647, got 4294967295 [ecs-service/grace-period-range]
Web/Service: load_balancer_port 9090 is not a port of container web (it maps [8080]) [ecs-service/load-balancer-port-not-mapped]
"#);
}

#[test]
fn a_load_balancer_needs_a_container_port() {
    let (mut stack, key) = common::stack();
    let cluster = stackwright_constructs::ecs::Cluster::new(
        &mut stack,
        "Cluster",
        stackwright_constructs::ecs::ClusterProps::new(),
    )
    .unwrap();
    let container = stackwright_constructs::ecs::ContainerDefinition::new(
        "worker",
        stackwright_constructs::ecs::ContainerImage::Literal("public.ecr.aws/docker/library/busybox:1".into()),
    );
    let props = stackwright_constructs::ecs::FargateTaskDefinitionProps::new(
        &key,
        stackwright_constructs::ecs::FargateSize::CPU_256_MEMORY_512,
        container,
    );
    let task = stackwright_constructs::ecs::FargateTaskDefinition::new(&mut stack, "Task", props).unwrap();
    let networking = common::networking();
    let props = FargateServiceProps::new(&cluster, &task, &networking).load_balancer(common::fake_target());
    FargateService::new(&mut stack, "Svc", props).unwrap();
    insta::assert_snapshot!(common::errors(stack), @r#"
Svc: the load balancer needs a port, but container worker maps none [ecs-service/load-balancer-without-port]
"#);
}

#[test]
fn autoscaling_rules() {
    insta::assert_snapshot!(error(|p| p.load_balancer(common::fake_target())
        .autoscaling(Autoscaling::new(0, 1).cpu_target_percent(0).memory_target_percent(101))), @r#"
Web/Service: autoscaling min_capacity must be at least 1 for a service behind a load balancer, got 0 [ecs-service/autoscaling-min-below-one]
Web/Service: autoscaling cpu_target_percent must be 1..=100, got 0 [ecs-service/autoscaling-target-range]
Web/Service: autoscaling memory_target_percent must be 1..=100, got 101 [ecs-service/autoscaling-target-range]
Web/Service: desired_count 2 must be within autoscaling capacity 0..=1 [ecs-service/desired-outside-capacity]
"#);
    insta::assert_snapshot!(error(|p| p.autoscaling(Autoscaling::new(5, 3))), @r#"
Web/Service: autoscaling min_capacity (5) must not exceed max_capacity (3) [ecs-service/autoscaling-min-above-max]
Web/Service: autoscaling needs a CPU or memory target [ecs-service/autoscaling-without-target]
"#);
}

#[test]
fn ecs_exec_needs_writable_containers_and_lets_the_task_role_open_channels() {
    insta::assert_snapshot!(error(|p| p.enable_execute_command(true)), @r#"
Web/Service: ECS Exec cannot run in containers with a read-only root filesystem: web; set readonly_root_filesystem(false) on them or leave enable_execute_command off [ecs-service/exec-needs-writable-root]
"#);
    let (mut stack, key) = common::stack();
    let cluster = Cluster::new(&mut stack, "Cluster", ClusterProps::new()).unwrap();
    let container = common::web_container().readonly_root_filesystem(false);
    let props = FargateTaskDefinitionProps::new(&key, FargateSize::CPU_256_MEMORY_512, container);
    let task = FargateTaskDefinition::new(&mut stack, "Task", props).unwrap();
    let networking = common::networking();
    let props = FargateServiceProps::new(&cluster, &task, &networking).enable_execute_command(true);
    FargateService::new(&mut stack, "Svc", props).unwrap();
    let t = common::finish(stack);
    assert_eq!(t["Resources"]["Svc"]["Properties"]["EnableExecuteCommand"], true);
    assert_eq!(
        t["Resources"]["TaskTaskRole"]["Properties"]["Policies"][0]["PolicyDocument"]["Statement"],
        json!([{"Action": ["ssmmessages:CreateControlChannel", "ssmmessages:CreateDataChannel",
                           "ssmmessages:OpenControlChannel", "ssmmessages:OpenDataChannel"],
                "Effect": "Allow", "Resource": "*"}])
    );
}
