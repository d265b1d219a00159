//! Whole runtime stacks — network, load balancer, cluster, task definition with an ECR image,
//! secrets and an EFS volume, an autoscaled service with circuit breaker and alarm rollback,
//! the alarms and their topic — on both kinds of networking. The judges run on the examples
//! built from the same constructs (`examples/web-service`).

mod common;

use stackwright_constructs::cloudwatch::{Alarm, AlarmProps, Metric};
use stackwright_constructs::ec2::{Networking, Vpc, VpcProps};
use stackwright_constructs::ecs::{
    Autoscaling, Cluster, ClusterProps, ContainerDefinition, ContainerImage, ContainerSecret, FargateService,
    FargateServiceProps, FargateSize, FargateTaskDefinition, FargateTaskDefinitionProps, HealthCheck, SecretSource,
};
use stackwright_constructs::efs::{FileSystem, FileSystemProps};
use stackwright_constructs::elbv2::{
    ApplicationLoadBalancer, ApplicationLoadBalancerProps, Http, Scheme, certificate_parameter,
};
use stackwright_constructs::kms::{Key, KeyProps};
use stackwright_constructs::sns::{Topic, TopicProps};
use stackwright_constructs::{ConstructPath, Stack};
use stackwright_template::{Output, Parameter, fns};

/// The runtime on `networking`, behind `lb`.
fn runtime(stack: &mut Stack, key: &Key, networking: &Networking, lb: &ApplicationLoadBalancer) {
    let web = ConstructPath::root("Web");
    let tag = stack.add_parameter("ImageTag", Parameter::string().default_value("latest")).unwrap();
    let files = FileSystem::new(stack, ConstructPath::root("Files"), FileSystemProps::new(key, networking)).unwrap();
    let cluster = Cluster::new(stack, "Cluster", ClusterProps::new()).unwrap();
    let image = ContainerImage::FromRepository {
        uri: fns::sub("${AWS::AccountId}.dkr.ecr.${AWS::Region}.amazonaws.com/shop"),
        arn: fns::sub("arn:${AWS::Partition}:ecr:${AWS::Region}:${AWS::AccountId}:repository/shop"),
        tag: tag.value(),
    };
    let container = ContainerDefinition::new("web", image)
        .port(8080)
        .env("LOG_LEVEL", "info")
        .secret("DB_PASSWORD", ContainerSecret::new(SecretSource::SsmParameterName("/shop/db-password".into())))
        .secret(
            "API_KEY",
            ContainerSecret::new(SecretSource::SecretsManager {
                arn: fns::sub(
                    "arn:${AWS::Partition}:secretsmanager:${AWS::Region}:${AWS::AccountId}:secret:shop-AbCdEf",
                ),
                json_key: Some("api_key".into()),
            })
            .kms_key(key.arn()),
        )
        .health_check(HealthCheck::new(["CMD-SHELL", "curl -f http://localhost:8080/health || exit 1"]));
    let task = FargateTaskDefinition::new(
        stack,
        web.child("Task"),
        FargateTaskDefinitionProps::new(key, FargateSize::CPU_512_MEMORY_1024, container)
            .efs_volume(files.volume("uploads", "/srv/uploads")),
    )
    .unwrap();
    // The alarms' names are known before they exist: the service names them, they name the
    // service, and no dependency cycle forms.
    let alarm_name = |id: &str| fns::sub(format!("${{AWS::StackName}}-Web-{id}"));
    let service = FargateService::new(
        stack,
        web.child("Service"),
        FargateServiceProps::new(&cluster, &task, networking)
            .load_balancer(lb.target())
            .deployment_alarms(vec![alarm_name("Target5xx"), alarm_name("UnhealthyHosts")])
            .autoscaling(Autoscaling::new(2, 6).cpu_target_percent(60).memory_target_percent(75)),
    )
    .unwrap();
    files.allow_service(stack, &service).unwrap();

    let topic = Topic::new(stack, "Alerts", key, TopicProps::new()).unwrap();
    let target = lb.target();
    let alarms = [
        ("CpuHigh", Metric::service_cpu(service.cluster_name(), service.service_name()), AlarmProps::cpu_high()),
        (
            "MemoryHigh",
            Metric::service_memory(service.cluster_name(), service.service_name()),
            AlarmProps::memory_high(),
        ),
        ("Target5xx", Metric::target_5xx_count(&target), AlarmProps::target_5xx()),
        ("UnhealthyHosts", Metric::unhealthy_host_count(&target), AlarmProps::unhealthy_hosts()),
    ];
    for (id, metric, props) in alarms {
        let alarm = Alarm::new(stack, web.child(id), &metric, props.notify(&topic)).unwrap();
        assert_eq!(alarm.name_value(), alarm_name(id));
    }
    stack.add_output("Url", Output::new(lb.url())).unwrap();
}

fn render(stack: Stack) -> String {
    stack.finish().unwrap().template().render()
}

fn existing_vpc() -> String {
    let mut stack = Stack::new("shop").unwrap();
    let key = Key::new(&mut stack, "Key", KeyProps::new()).unwrap();
    let networking = Networking::from_parameters(&mut stack).unwrap();
    let certificate = certificate_parameter(&mut stack).unwrap();
    let lb = ApplicationLoadBalancer::new(
        &mut stack,
        ConstructPath::root("Web").child("Lb"),
        &networking,
        ApplicationLoadBalancerProps::new(certificate, 8080),
    )
    .unwrap();
    runtime(&mut stack, &key, &networking, &lb);
    render(stack)
}

fn new_vpc() -> String {
    let mut stack = Stack::new("shop").unwrap();
    let key = Key::new(&mut stack, "Key", KeyProps::new()).unwrap();
    let vpc = Vpc::new(&mut stack, "Network", &key, VpcProps::new()).unwrap();
    let networking = vpc.networking();
    let certificate = certificate_parameter(&mut stack).unwrap();
    let props =
        ApplicationLoadBalancerProps::new(certificate, 8080).scheme(Scheme::internal(vpc.cidr())).http(Http::Absent);
    let lb =
        ApplicationLoadBalancer::new(&mut stack, ConstructPath::root("Web").child("Lb"), &networking, props).unwrap();
    runtime(&mut stack, &key, &networking, &lb);
    render(stack)
}

#[test]
fn the_whole_runtime_renders_deterministically_for_the_judges() {
    for render in [existing_vpc, new_vpc] {
        let json = render();
        assert_eq!(json, render(), "rendering is deterministic");
        for expected in [
            "\"AWS::ECS::Cluster\"",
            "\"AWS::ECS::TaskDefinition\"",
            "\"AWS::ECS::Service\"",
            "\"AWS::EFS::FileSystem\"",
            "\"AWS::EFS::MountTarget\"",
            "\"AWS::EFS::AccessPoint\"",
            "\"AWS::ApplicationAutoScaling::ScalableTarget\"",
            "\"AWS::ElasticLoadBalancingV2::LoadBalancer\"",
            "\"AWS::CloudWatch::Alarm\"",
        ] {
            assert!(json.contains(expected), "{expected} missing");
        }
    }
}
