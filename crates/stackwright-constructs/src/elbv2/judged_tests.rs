//! Whole stacks of the network, load balancer, alarm and topic constructs, rendered for the
//! judges: `STACKWRIGHT_TEMPLATES_DIR=dir cargo test -p stackwright-constructs judged` writes
//! them there, for `cargo xtask judges dir/*.json`.

use stackwright_template::{Output, fns};

use crate::cloudwatch::{Alarm, AlarmProps, Metric};
use crate::ec2::{Networking, Vpc, VpcProps};
use crate::elbv2::{ApplicationLoadBalancer, ApplicationLoadBalancerProps, Http, Scheme, certificate_parameter};
use crate::kms::{Key, KeyProps};
use crate::path::ConstructPath;
use crate::sns::{Topic, TopicProps};
use crate::stack::Stack;

fn alarms_and_topic(stack: &mut Stack, lb: &ApplicationLoadBalancer, key: &Key) {
    let topic = Topic::new(stack, "Alerts", key, TopicProps::new().email("ops@example.com")).unwrap();
    let target = lb.target();
    let web = ConstructPath::root("Web");
    let alarms = [
        ("CpuHigh", Metric::service_cpu("cluster", "service"), AlarmProps::cpu_high()),
        ("MemoryHigh", Metric::service_memory("cluster", "service"), AlarmProps::memory_high()),
        ("Target5xx", Metric::target_5xx_count(&target), AlarmProps::target_5xx()),
        ("UnhealthyHosts", Metric::unhealthy_host_count(&target), AlarmProps::unhealthy_hosts()),
        ("ResponseTime", Metric::target_response_time(&target), AlarmProps::response_time_p99()),
    ];
    for (id, metric, props) in alarms {
        Alarm::new(stack, web.child(id), &metric, props.notify(&topic)).unwrap();
    }
    stack.add_output("Url", Output::new(lb.url())).unwrap();
}

fn finish(stack: Stack, file: &str) -> String {
    let json = stack.finish().unwrap().template.render();
    if let Some(dir) = std::env::var_os("STACKWRIGHT_TEMPLATES_DIR") {
        std::fs::write(std::path::Path::new(&dir).join(file), &json).unwrap();
    }
    json
}

fn existing_vpc() -> String {
    let mut stack = Stack::new("web").unwrap();
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
    alarms_and_topic(&mut stack, &lb, &key);
    // The service (another construct) runs in the private subnets; stand in for it.
    stack.add_output("PrivateSubnets", Output::new(fns::join(",", networking.private_subnets))).unwrap();
    finish(stack, "net-existing-vpc.template.json")
}

fn new_vpc() -> String {
    let mut stack = Stack::new("web").unwrap();
    let key = Key::new(&mut stack, "Key", KeyProps::new()).unwrap();
    let vpc = Vpc::new(&mut stack, "Network", VpcProps::new()).unwrap();
    let certificate = certificate_parameter(&mut stack).unwrap();
    let props =
        ApplicationLoadBalancerProps::new(certificate, 8080).scheme(Scheme::internal(vpc.cidr())).http(Http::Absent);
    let lb = ApplicationLoadBalancer::new(&mut stack, ConstructPath::root("Web").child("Lb"), &vpc.networking(), props)
        .unwrap();
    alarms_and_topic(&mut stack, &lb, &key);
    finish(stack, "net-new-vpc.template.json")
}

#[test]
fn judged_stacks_render_deterministically() {
    assert_eq!(existing_vpc(), existing_vpc());
    assert_eq!(new_vpc(), new_vpc());
}
