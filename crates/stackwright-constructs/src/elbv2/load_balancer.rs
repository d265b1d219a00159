//! [`ApplicationLoadBalancer`]: HTTPS in front of the service, least-open, logged.

use stackwright_cfn::elasticloadbalancingv2 as elb;
use stackwright_cfn::elasticloadbalancingv2::listener::{Action, Certificate, RedirectConfig, StatusCode, Type};
use stackwright_cfn::elasticloadbalancingv2::load_balancer::LoadBalancerAttribute;
use stackwright_cfn::elasticloadbalancingv2::target_group::{Matcher, TargetGroupAttribute, TargetType};
use stackwright_template::{LogicalId, ResourceOptions, ResourceRef, Value, fns};

use crate::ec2::{Ipv4Cidr, Networking, Peer, SecurityGroup, SecurityGroupProps, TcpRule};
use crate::elbv2::props::tls12_or_later;
use crate::elbv2::{ApplicationLoadBalancerProps, Http, LoadBalancerTarget, Scheme};
use crate::error::{Checks, Error};
use crate::path::ConstructPath;
use crate::s3::Bucket;
use crate::stack::Stack;

/// An application load balancer with an HTTPS listener (TLS 1.2+) forwarding to one IP target
/// group, port 80 redirecting to HTTPS or closed, invalid header fields dropped, access logs
/// to S3, and a security group that accepts the listener ports from one CIDR and sends
/// nothing until a service adds its own egress rule
/// ([`LoadBalancerTarget::security_group_logical_id`]).
#[derive(Debug, Clone)]
pub struct ApplicationLoadBalancer {
    resource: ResourceRef<elb::LoadBalancer>,
    target_group: ResourceRef<elb::TargetGroup>,
    https_listener: ResourceRef<elb::Listener>,
    http_listener: Option<ResourceRef<elb::Listener>>,
    security_group: SecurityGroup,
    access_log_bucket: Bucket,
}

impl ApplicationLoadBalancer {
    /// Adds the load balancer, its listeners, target group and security group under `path`,
    /// in `networking`'s public subnets (internet-facing) or private subnets (internal).
    pub fn new(
        stack: &mut Stack,
        path: impl Into<ConstructPath>,
        networking: &Networking,
        props: ApplicationLoadBalancerProps,
    ) -> Result<Self, Error> {
        let path = path.into();
        let prefix = props.access_log_prefix.clone().unwrap_or_else(|| path.segments().join("-"));
        stack.record(check(&path, &props, &prefix));

        let cidr = props.scheme.allowed_cidr().clone();
        let mut sg_props = SecurityGroupProps::new(format!("Load balancer {path}: its listener ports only"));
        // A literal block that does not parse broke `alb/allowed-cidr` above; the group gets no
        // listener rules rather than report the same block again (the stack will not finish).
        if !matches!(&cidr, Value::Literal(text) if Ipv4Cidr::parse(text).is_none()) {
            sg_props = sg_props.ingress(TcpRule::new(Peer::Cidr(cidr.clone()), 443, "HTTPS listener"));
            if props.http == Http::RedirectToHttps {
                sg_props =
                    sg_props.ingress(TcpRule::new(Peer::Cidr(cidr.clone()), 80, "HTTP listener: redirects to HTTPS"));
            }
        }
        let mut sg_options = ResourceOptions::new();
        if props.http == Http::RedirectToHttps && cidr == Value::Literal("0.0.0.0/0".to_owned()) {
            sg_options = sg_options.checkov_skip(
                "CKV_AWS_260",
                "Port 80 only answers with a permanent redirect to HTTPS (the HTTP listener's sole action); \
                 no content is served over plain HTTP.",
            );
        }
        let security_group = SecurityGroup::with_options(
            stack,
            path.child("SecurityGroup"),
            networking.vpc_id.clone(),
            sg_props,
            sg_options,
        )?;

        let access_log_bucket = match props.access_log_bucket {
            Some(bucket) => bucket,
            None => Bucket::log_bucket(stack, path.child("AccessLogs"))?,
        };
        let bucket_prefix = if prefix.is_empty() { String::new() } else { format!("{prefix}/") };
        access_log_bucket.allow_load_balancer_logs(stack, &bucket_prefix)?;

        let (scheme, subnets) = match &props.scheme {
            Scheme::InternetFacing { .. } => (elb::load_balancer::Scheme::InternetFacing, &networking.public_subnets),
            Scheme::Internal { .. } => (elb::load_balancer::Scheme::Internal, &networking.private_subnets),
        };
        let attribute = |key: &str, value: Value<String>| LoadBalancerAttribute::new().key(key).value(value);
        let attributes = vec![
            attribute("access_logs.s3.bucket", access_log_bucket.name()),
            attribute("access_logs.s3.enabled", "true".into()),
            attribute("access_logs.s3.prefix", prefix.into()),
            attribute("deletion_protection.enabled", props.deletion_protection.to_string().into()),
            attribute("routing.http.drop_invalid_header_fields.enabled", "true".into()),
        ];
        // ELB checks that it may write the logs when the attribute is set: the bucket policy first.
        // An internet-facing load balancer also needs its subnets routed to an internet gateway.
        let mut options = ResourceOptions::new().depends_on(access_log_bucket.policy().logical_id());
        if matches!(props.scheme, Scheme::InternetFacing { .. }) {
            options = networking.public_ready.iter().fold(options, ResourceOptions::depends_on);
        }
        let resource = stack.add_with(
            &path,
            elb::LoadBalancer::new()
                .r#type(elb::load_balancer::Type::Application)
                .scheme(scheme)
                .subnets(subnets.clone())
                .security_groups(vec![security_group.id()])
                .load_balancer_attributes(attributes),
            options,
        )?;

        let health = &props.health_check;
        let target_group = stack.add(
            &path.child("TargetGroup"),
            elb::TargetGroup::new()
                .target_type(TargetType::Ip)
                .protocol(elb::target_group::Protocol::Http)
                .port(i64::from(props.container_port))
                .vpc_id(networking.vpc_id.clone())
                .health_check_enabled(true)
                .health_check_path(health.path.clone())
                .health_check_interval_seconds(i64::from(health.interval_seconds))
                .health_check_timeout_seconds(i64::from(health.timeout_seconds))
                .healthy_threshold_count(i64::from(health.healthy_threshold))
                .unhealthy_threshold_count(i64::from(health.unhealthy_threshold))
                .matcher(Matcher::new().http_code(health.success_codes.clone()))
                .target_group_attributes(vec![
                    TargetGroupAttribute::new()
                        .key("deregistration_delay.timeout_seconds")
                        .value(props.deregistration_delay_seconds.to_string()),
                ]),
        )?;

        let forward = Action::new(Type::Forward).target_group_arn(target_group.ref_());
        let listener_443 = stack.add(
            &path.child("HttpsListener"),
            elb::Listener::new(vec![forward], resource.ref_())
                .port(443)
                .protocol(elb::listener::Protocol::Https)
                .ssl_policy(props.ssl_policy)
                .certificates(vec![Certificate::new().certificate_arn(props.certificate_arn)]),
        )?;
        let listener_80 = match props.http {
            Http::Absent => None,
            Http::RedirectToHttps => {
                let redirect = Action::new(Type::Redirect)
                    .redirect_config(RedirectConfig::new(StatusCode::Http301).protocol("HTTPS").port("443"));
                Some(
                    stack.add(
                        &path.child("HttpListener"),
                        elb::Listener::new(vec![redirect], resource.ref_())
                            .port(80)
                            .protocol(elb::listener::Protocol::Http),
                    )?,
                )
            }
        };
        Ok(Self {
            resource,
            target_group,
            https_listener: listener_443,
            http_listener: listener_80,
            security_group,
            access_log_bucket,
        })
    }

    /// What a service needs to register in the target group.
    pub fn target(&self) -> LoadBalancerTarget {
        let mut listeners = vec![self.https_listener.logical_id().clone()];
        listeners.extend(self.http_listener.iter().map(|l| l.logical_id().clone()));
        LoadBalancerTarget {
            target_group_arn: self.target_group.ref_(),
            target_group_full_name: self.target_group.target_group_full_name(),
            load_balancer_full_name: self.resource.load_balancer_full_name(),
            security_group_id: self.security_group.id(),
            security_group_logical_id: self.security_group.logical_id().clone(),
            listeners,
        }
    }

    /// The load balancer's DNS name.
    pub fn dns_name(&self) -> Value<String> {
        self.resource.dns_name()
    }

    /// `https://` and the DNS name (the certificate must cover the name users resolve).
    pub fn url(&self) -> Value<String> {
        fns::sub(format!("https://${{{}.DNSName}}", self.resource.logical_id()))
    }

    /// The load balancer's logical ID.
    pub fn logical_id(&self) -> &LogicalId {
        self.resource.logical_id()
    }

    /// The L1 load balancer: the escape hatch.
    pub fn resource(&self) -> &ResourceRef<elb::LoadBalancer> {
        &self.resource
    }

    /// The L1 target group.
    pub fn target_group(&self) -> &ResourceRef<elb::TargetGroup> {
        &self.target_group
    }

    /// The L1 HTTPS listener.
    pub fn https_listener(&self) -> &ResourceRef<elb::Listener> {
        &self.https_listener
    }

    /// The L1 HTTP listener, when port 80 redirects.
    pub fn http_listener(&self) -> Option<&ResourceRef<elb::Listener>> {
        self.http_listener.as_ref()
    }

    /// The load balancer's security group.
    pub fn security_group(&self) -> &SecurityGroup {
        &self.security_group
    }

    /// The bucket access logs go to.
    pub fn access_log_bucket(&self) -> &Bucket {
        &self.access_log_bucket
    }
}

fn check(path: &ConstructPath, props: &ApplicationLoadBalancerProps, prefix: &str) -> Checks {
    let mut checks = Checks::new(path);
    checks.require(props.container_port != 0, "alb/container-port", || {
        "container_port must be 1-65535, got 0".to_owned()
    });
    checks.require(tls12_or_later(&props.ssl_policy), "alb/ssl-policy", || {
        format!(
            "ssl_policy must be an ELBSecurityPolicy refusing TLS below 1.2 (TLS13-1-2…, TLS-1-2…, FS-1-2…), got {:?}",
            props.ssl_policy
        )
    });
    checks.require(props.deregistration_delay_seconds <= 3600, "alb/deregistration-delay", || {
        format!("deregistration_delay_seconds must be 0..=3600, got {}", props.deregistration_delay_seconds)
    });
    if let Value::Literal(cidr) = props.scheme.allowed_cidr() {
        checks.require(Ipv4Cidr::parse(cidr).is_some(), "alb/allowed-cidr", || {
            format!("allowed_cidr must be an IPv4 block `a.b.c.d/n` with no host bit set, got {cidr:?}")
        });
    }
    let prefix_ok = !prefix.starts_with('/')
        && !prefix.ends_with('/')
        && !prefix.contains("AWSLogs")
        && prefix.len() <= 200
        && prefix.bytes().all(|b| b.is_ascii_alphanumeric() || b"-_./!*'()".contains(&b));
    checks.require(prefix_ok, "alb/access-log-prefix", || {
        format!(
            "access_log_prefix must be at most 200 of A-Z a-z 0-9 - _ . / ! * ' ( ), not start or end with `/`, \
             and not contain `AWSLogs`, got {prefix:?}"
        )
    });
    props.health_check.check(&mut checks);
    checks
}

#[cfg(test)]
#[path = "load_balancer_tests.rs"]
mod tests;
