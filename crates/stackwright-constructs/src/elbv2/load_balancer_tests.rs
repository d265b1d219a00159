use serde_json::{Value as Json, json};

use super::*;
use crate::elbv2::{CERTIFICATE_PARAMETER, HealthCheck, certificate_parameter};

fn networking() -> Networking {
    Networking {
        vpc_id: "vpc-1".into(),
        private_subnets: vec!["subnet-private"].into(),
        public_subnets: vec!["subnet-public"].into(),
        public_ready: Vec::new(),
        private_ready: Vec::new(),
    }
}

fn build(props: ApplicationLoadBalancerProps) -> (ApplicationLoadBalancer, Json) {
    let mut stack = Stack::new("t").unwrap();
    let lb =
        ApplicationLoadBalancer::new(&mut stack, ConstructPath::root("Web").child("Lb"), &networking(), props).unwrap();
    (lb, stack.finish().unwrap().template().to_json()["Resources"].clone())
}

#[test]
fn defaults_https_redirect_logs_and_least_open() {
    let (lb, r) = build(ApplicationLoadBalancerProps::new("arn:cert", 8080));
    let p = &r["WebLb"]["Properties"];
    assert_eq!((p["Scheme"].clone(), p["Type"].clone()), (json!("internet-facing"), json!("application")));
    assert_eq!(p["Subnets"], json!(["subnet-public"]));
    assert_eq!(p["SecurityGroups"], json!([{"Fn::GetAtt": ["WebLbSecurityGroup", "GroupId"]}]));
    assert_eq!(
        p["LoadBalancerAttributes"],
        json!([
            {"Key": "access_logs.s3.bucket", "Value": {"Ref": "WebLbAccessLogs"}},
            {"Key": "access_logs.s3.enabled", "Value": "true"},
            {"Key": "access_logs.s3.prefix", "Value": "Web-Lb"},
            {"Key": "deletion_protection.enabled", "Value": "true"},
            {"Key": "routing.http.drop_invalid_header_fields.enabled", "Value": "true"},
        ])
    );
    assert_eq!(r["WebLb"]["DependsOn"], json!(["WebLbAccessLogsPolicy"]));
    let log_policy = r["WebLbAccessLogsPolicy"]["Properties"]["PolicyDocument"].to_string();
    assert!(log_policy.contains("Web-Lb/AWSLogs/${AWS::AccountId}/"), "{log_policy}");

    let sg = &r["WebLbSecurityGroup"];
    let ingress = &sg["Properties"]["SecurityGroupIngress"];
    assert_eq!((ingress[0]["FromPort"].clone(), ingress[0]["CidrIp"].clone()), (json!(443), json!("0.0.0.0/0")));
    assert_eq!((ingress[1]["ToPort"].clone(), ingress.as_array().unwrap().len()), (json!(80), 2));
    assert_eq!(sg["Properties"]["SecurityGroupEgress"][0]["CidrIp"], "255.255.255.255/32");
    assert_eq!(sg["Metadata"]["checkov"]["skip"][0]["id"], "CKV_AWS_260");

    let tg = &r["WebLbTargetGroup"]["Properties"];
    assert_eq!(
        (tg["TargetType"].clone(), tg["Protocol"].clone(), tg["Port"].clone()),
        (json!("ip"), json!("HTTP"), json!(8080))
    );
    assert_eq!((tg["HealthCheckPath"].clone(), tg["Matcher"].clone()), (json!("/"), json!({"HttpCode": "200-399"})));
    assert_eq!((tg["HealthyThresholdCount"].clone(), tg["UnhealthyThresholdCount"].clone()), (json!(2), json!(3)));
    assert_eq!(
        (tg["HealthCheckIntervalSeconds"].clone(), tg["HealthCheckTimeoutSeconds"].clone()),
        (json!(15), json!(5))
    );
    assert_eq!(tg["TargetGroupAttributes"], json!([{"Key": "deregistration_delay.timeout_seconds", "Value": "30"}]));

    let https = &r["WebLbHttpsListener"]["Properties"];
    assert_eq!((https["Port"].clone(), https["Protocol"].clone()), (json!(443), json!("HTTPS")));
    assert_eq!(https["SslPolicy"], "ELBSecurityPolicy-TLS13-1-2-2021-06");
    assert_eq!(https["Certificates"], json!([{"CertificateArn": "arn:cert"}]));
    assert_eq!(https["DefaultActions"], json!([{"TargetGroupArn": {"Ref": "WebLbTargetGroup"}, "Type": "forward"}]));
    let http = &r["WebLbHttpListener"]["Properties"];
    assert_eq!(
        http["DefaultActions"],
        json!([{"RedirectConfig": {"Port": "443", "Protocol": "HTTPS", "StatusCode": "HTTP_301"}, "Type": "redirect"}])
    );

    let target = lb.target();
    assert_eq!(target.target_group_arn.to_json(), json!({"Ref": "WebLbTargetGroup"}));
    assert_eq!(
        target.target_group_full_name.to_json(),
        json!({"Fn::GetAtt": ["WebLbTargetGroup", "TargetGroupFullName"]})
    );
    assert_eq!(target.load_balancer_full_name.to_json(), json!({"Fn::GetAtt": ["WebLb", "LoadBalancerFullName"]}));
    assert_eq!(target.security_group_logical_id.as_str(), "WebLbSecurityGroup");
    let listeners: Vec<&str> = target.listeners.iter().map(LogicalId::as_str).collect();
    assert_eq!(listeners, ["WebLbHttpsListener", "WebLbHttpListener"]);
    assert_eq!(lb.url().to_json(), json!({"Fn::Sub": "https://${WebLb.DNSName}"}));
    assert_eq!(lb.dns_name().to_json(), json!({"Fn::GetAtt": ["WebLb", "DNSName"]}));
}

#[test]
fn internal_without_http_into_a_given_bucket() {
    let mut stack = Stack::new("t").unwrap();
    let bucket = Bucket::log_bucket(&mut stack, "Logs").unwrap();
    let props = ApplicationLoadBalancerProps::new("arn:cert", 80)
        .scheme(Scheme::internal("10.0.0.0/16"))
        .http(Http::Absent)
        .access_log_bucket(&bucket)
        .access_log_prefix("alb")
        .deletion_protection(false)
        .deregistration_delay_seconds(0)
        .health_check(HealthCheck::new().path("/health"));
    let lb = ApplicationLoadBalancer::new(&mut stack, "Lb", &networking(), props).unwrap();
    assert!(lb.http_listener().is_none());
    assert_eq!(lb.target().listeners.len(), 1);
    let r = stack.finish().unwrap().template().to_json()["Resources"].clone();
    assert!(r.get("LbAccessLogs").is_none() && r.get("LbHttpListener").is_none());
    let p = &r["Lb"]["Properties"];
    assert_eq!((p["Scheme"].clone(), p["Subnets"].clone()), (json!("internal"), json!(["subnet-private"])));
    assert_eq!(p["LoadBalancerAttributes"][0]["Value"], json!({"Ref": "Logs"}));
    assert_eq!(p["LoadBalancerAttributes"][2]["Value"], "alb");
    assert_eq!(p["LoadBalancerAttributes"][3]["Value"], "false");
    let sg = &r["LbSecurityGroup"];
    assert_eq!(
        sg["Properties"]["SecurityGroupIngress"],
        json!([{"CidrIp": "10.0.0.0/16", "Description": "HTTPS listener", "FromPort": 443, "IpProtocol": "tcp", "ToPort": 443}])
    );
    assert!(sg.get("Metadata").is_none());
    assert_eq!(r["LbTargetGroup"]["Properties"]["HealthCheckPath"], "/health");
}

#[test]
fn every_rule_at_once() {
    let mut stack = Stack::new("t").unwrap();
    let props = ApplicationLoadBalancerProps::new("arn:cert", 0)
        .scheme(Scheme::internet_facing_from("10.0.0.1/8"))
        .ssl_policy("ELBSecurityPolicy-2016-08")
        .deregistration_delay_seconds(3601)
        .access_log_prefix("/AWSLogs/")
        .health_check(HealthCheck::new().path("x"));
    ApplicationLoadBalancer::new(&mut stack, "Lb", &networking(), props).unwrap();
    let err = stack.finish().unwrap_err();
    assert_eq!(
        err.to_string(),
        "Lb: access_log_prefix must be at most 200 of A-Z a-z 0-9 - _ . / ! * ' ( ), not start or end with `/`, and not contain `AWSLogs`, got \"/AWSLogs/\" [alb/access-log-prefix]\n\
         Lb: allowed_cidr must be an IPv4 block `a.b.c.d/n` with no host bit set, got \"10.0.0.1/8\" [alb/allowed-cidr]\n\
         Lb: container_port must be 1-65535, got 0 [alb/container-port]\n\
         Lb: deregistration_delay_seconds must be 0..=3600, got 3601 [alb/deregistration-delay]\n\
         Lb: health check path must start with `/` and have at most 1024 printable characters without spaces, got \"x\" [alb/health-check-path]\n\
         Lb: ssl_policy must be an ELBSecurityPolicy refusing TLS below 1.2 (TLS13-1-2…, TLS-1-2…, FS-1-2…), got \"ELBSecurityPolicy-2016-08\" [alb/ssl-policy]"
    );
}

#[test]
fn tls_policies() {
    assert!(tls12_or_later("ELBSecurityPolicy-TLS13-1-2-2021-06"));
    assert!(tls12_or_later("ELBSecurityPolicy-TLS-1-2-Ext-2018-06"));
    assert!(tls12_or_later("ELBSecurityPolicy-FS-1-2-Res-2020-10"));
    assert!(!tls12_or_later("ELBSecurityPolicy-TLS-1-1-2017-01"));
    assert!(!tls12_or_later("ELBSecurityPolicy-FS-2018-06"));
}

#[test]
fn certificate_parameter_is_an_acm_arn() {
    let mut stack = Stack::new("t").unwrap();
    let arn = certificate_parameter(&mut stack).unwrap();
    assert_eq!(arn.to_json(), json!({"Ref": CERTIFICATE_PARAMETER}));
    let json = stack.finish().unwrap().template().to_json();
    let parameter = &json["Parameters"]["CertificateArn"];
    assert_eq!(parameter["Type"], "String");
    assert!(parameter["AllowedPattern"].as_str().unwrap().contains(":acm:"));
}
