//! Shared fixtures of the ECS and EFS tests: a stack with a key, networking from parameters,
//! and a fake load balancer target.
#![allow(dead_code)]

use stackwright_constructs::ConstructPath;
use stackwright_constructs::Stack;
use stackwright_constructs::ec2::Networking;
use stackwright_constructs::ecs::{
    Cluster, ClusterProps, ContainerDefinition, ContainerImage, FargateSize, FargateTaskDefinition,
    FargateTaskDefinitionProps,
};
use stackwright_constructs::elbv2::LoadBalancerTarget;
use stackwright_constructs::kms::{Key, KeyProps};
use stackwright_template::{LogicalId, fns};

pub(crate) fn stack() -> (Stack, Key) {
    let mut stack = Stack::new("shop").unwrap();
    let key = Key::new(&mut stack, "Key", KeyProps::new()).unwrap();
    (stack, key)
}

pub(crate) fn networking() -> Networking {
    Networking {
        vpc_id: fns::sub("${VpcId}"),
        private_subnets: vec!["subnet-aaaa1111", "subnet-bbbb2222"].into(),
        public_subnets: vec!["subnet-cccc3333", "subnet-dddd4444"].into(),
        public_ready: Vec::new(),
        private_ready: Vec::new(),
    }
}

pub(crate) fn web_container() -> ContainerDefinition {
    ContainerDefinition::new("web", ContainerImage::Literal("public.ecr.aws/nginx/nginx:1.27".into())).port(8080)
}

pub(crate) fn cluster_and_task(stack: &mut Stack, key: &Key) -> (Cluster, FargateTaskDefinition) {
    let cluster = Cluster::new(stack, "Cluster", ClusterProps::new()).unwrap();
    let task = FargateTaskDefinition::new(
        stack,
        ConstructPath::root("Web").child("Task"),
        FargateTaskDefinitionProps::new(key, FargateSize::CPU_512_MEMORY_1024, web_container()),
    )
    .unwrap();
    (cluster, task)
}

pub(crate) fn fake_target() -> LoadBalancerTarget {
    LoadBalancerTarget {
        target_group_arn: "arn:aws:elasticloadbalancing:us-east-1:111122223333:targetgroup/web/0123456789abcdef".into(),
        target_group_full_name: "targetgroup/web/0123456789abcdef".into(),
        load_balancer_full_name: "app/web/0123456789abcdef".into(),
        security_group_id: "sg-0123456789abcdef0".into(),
        security_group_logical_id: LogicalId::new("LbSecurityGroup").unwrap(),
        listeners: vec![LogicalId::new("LbHttpsListener").unwrap()],
    }
}

/// The finished stack's template as JSON.
pub(crate) fn finish(stack: Stack) -> serde_json::Value {
    serde_json::from_str(&stack.finish().unwrap().template().render()).unwrap()
}

/// Every rule the stack's constructs broke, as `finish` reports them.
pub(crate) fn errors(stack: Stack) -> String {
    stack.finish().unwrap_err().to_string()
}
