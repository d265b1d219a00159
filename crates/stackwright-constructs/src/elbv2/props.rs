//! [`ApplicationLoadBalancerProps`] and its choices.

use stackwright_template::{Parameter, Value};

use crate::elbv2::HealthCheck;
use crate::error::Error;
use crate::s3::Bucket;
use crate::stack::Stack;

/// The TLS policy of the HTTPS listener by default: TLS 1.3 and 1.2 only, forward secrecy
/// (checkov `CKV_AWS_103`).
pub const DEFAULT_SSL_POLICY: &str = "ELBSecurityPolicy-TLS13-1-2-2021-06";

/// The parameter [`certificate_parameter`] adds.
pub const CERTIFICATE_PARAMETER: &str = "CertificateArn";

/// Adds the stack parameter `CertificateArn` (an ACM certificate for the HTTPS listener) and
/// returns its value.
pub fn certificate_parameter(stack: &mut Stack) -> Result<Value<String>, Error> {
    let parameter = stack.add_parameter(
        CERTIFICATE_PARAMETER,
        Parameter::string()
            .description("ARN of the ACM certificate the load balancer's HTTPS listener presents.")
            .allowed_pattern(
                "^arn:aws[a-zA-Z-]*:acm:[a-z0-9-]+:[0-9]{12}:certificate/[a-zA-Z0-9-]+$",
                "an ACM certificate ARN: arn:aws:acm:<region>:<account>:certificate/<id>",
            ),
    )?;
    Ok(parameter.value())
}

/// Where the load balancer is reachable from.
#[derive(Debug, Clone, PartialEq)]
pub enum Scheme {
    /// In the public subnets, with public addresses; its listeners accept `allowed_cidr`.
    InternetFacing {
        /// Who may connect.
        allowed_cidr: Value<String>,
    },
    /// In the private subnets, with private addresses only; its listeners accept
    /// `allowed_cidr` — there is no default, since the VPC's block is not known when the VPC
    /// is a parameter: give the VPC's CIDR ([`crate::ec2::Vpc::cidr`]) or a narrower one.
    Internal {
        /// Who may connect.
        allowed_cidr: Value<String>,
    },
}

impl Scheme {
    /// Internet-facing, open to everyone (`0.0.0.0/0`): a public web service.
    pub fn internet_facing() -> Self {
        Self::InternetFacing { allowed_cidr: "0.0.0.0/0".into() }
    }

    /// Internet-facing, open to `cidr` only (an office, a CDN's ranges...).
    pub fn internet_facing_from(cidr: impl Into<Value<String>>) -> Self {
        Self::InternetFacing { allowed_cidr: cidr.into() }
    }

    /// Internal, open to `cidr`.
    pub fn internal(cidr: impl Into<Value<String>>) -> Self {
        Self::Internal { allowed_cidr: cidr.into() }
    }

    pub(crate) fn allowed_cidr(&self) -> &Value<String> {
        match self {
            Self::InternetFacing { allowed_cidr } | Self::Internal { allowed_cidr } => allowed_cidr,
        }
    }
}

/// What port 80 does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Http {
    /// A listener on port 80 that answers every request with a permanent redirect to HTTPS.
    RedirectToHttps,
    /// No listener on port 80, and port 80 closed in the security group.
    Absent,
}

/// Properties of an [`ApplicationLoadBalancer`](crate::elbv2::ApplicationLoadBalancer).
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct ApplicationLoadBalancerProps {
    /// The ACM certificate of the HTTPS listener, e.g. [`certificate_parameter`]'s value.
    /// **Required.**
    pub certificate_arn: Value<String>,
    /// The port the containers listen on (the target group's port), 1-65535. **Required.**
    pub container_port: u16,
    /// **Default:** [`Scheme::internet_facing`]: public subnets, open to `0.0.0.0/0` on the
    /// listener ports only (as CDK's `open: true`).
    pub scheme: Scheme,
    /// **Default:** [`Http::RedirectToHttps`] (CDK: no HTTP listener unless asked).
    pub http: Http,
    /// The HTTPS listener's TLS policy: a TLS 1.2+ `ELBSecurityPolicy-…`. **Default:**
    /// [`DEFAULT_SSL_POLICY`] (CDK leaves the ELB default, `ELBSecurityPolicy-2016-08`, which
    /// accepts TLS 1.0).
    pub ssl_policy: String,
    /// **Default:** [`HealthCheck::new`] (its fields state how they differ from CDK's).
    pub health_check: HealthCheck,
    /// Seconds a deregistering target keeps serving its open requests, 0-3600.
    /// **Default:** 30 (AWS and CDK: 300, which makes every deployment wait five minutes).
    pub deregistration_delay_seconds: u32,
    /// Whether the load balancer refuses to be deleted. **Default:** `true` (CDK: `false`;
    /// checkov `CKV_AWS_150`): deleting the stack then needs this turned off first.
    pub deletion_protection: bool,
    /// The bucket access logs go to (its policy gets the ELB delivery statement).
    /// **Default:** a new [`Bucket::log_bucket`] at `<path>/AccessLogs` (checkov `CKV_AWS_91`).
    pub access_log_bucket: Option<Bucket>,
    /// The key prefix of access logs: no leading or trailing `/`, no `AWSLogs`.
    /// **Default:** the construct path's segments joined by `-`.
    pub access_log_prefix: Option<String>,
}

impl ApplicationLoadBalancerProps {
    /// A load balancer presenting `certificate_arn` and forwarding to `container_port`.
    pub fn new(certificate_arn: impl Into<Value<String>>, container_port: u16) -> Self {
        Self {
            certificate_arn: certificate_arn.into(),
            container_port,
            scheme: Scheme::internet_facing(),
            http: Http::RedirectToHttps,
            ssl_policy: DEFAULT_SSL_POLICY.into(),
            health_check: HealthCheck::new(),
            deregistration_delay_seconds: 30,
            deletion_protection: true,
            access_log_bucket: None,
            access_log_prefix: None,
        }
    }

    /// See [`ApplicationLoadBalancerProps::scheme`].
    #[must_use]
    pub fn scheme(mut self, scheme: Scheme) -> Self {
        self.scheme = scheme;
        self
    }

    /// See [`ApplicationLoadBalancerProps::http`].
    #[must_use]
    pub fn http(mut self, http: Http) -> Self {
        self.http = http;
        self
    }

    /// See [`ApplicationLoadBalancerProps::ssl_policy`].
    #[must_use]
    pub fn ssl_policy(mut self, policy: impl Into<String>) -> Self {
        self.ssl_policy = policy.into();
        self
    }

    /// See [`ApplicationLoadBalancerProps::health_check`].
    #[must_use]
    pub fn health_check(mut self, health_check: HealthCheck) -> Self {
        self.health_check = health_check;
        self
    }

    /// See [`ApplicationLoadBalancerProps::deregistration_delay_seconds`].
    #[must_use]
    pub fn deregistration_delay_seconds(mut self, seconds: u32) -> Self {
        self.deregistration_delay_seconds = seconds;
        self
    }

    /// See [`ApplicationLoadBalancerProps::deletion_protection`].
    #[must_use]
    pub fn deletion_protection(mut self, yes: bool) -> Self {
        self.deletion_protection = yes;
        self
    }

    /// See [`ApplicationLoadBalancerProps::access_log_bucket`].
    #[must_use]
    pub fn access_log_bucket(mut self, bucket: &Bucket) -> Self {
        self.access_log_bucket = Some(bucket.clone());
        self
    }

    /// See [`ApplicationLoadBalancerProps::access_log_prefix`].
    #[must_use]
    pub fn access_log_prefix(mut self, prefix: impl Into<String>) -> Self {
        self.access_log_prefix = Some(prefix.into());
        self
    }
}

/// Whether `policy` is an ELB policy that refuses TLS below 1.2.
pub(crate) fn tls12_or_later(policy: &str) -> bool {
    policy.strip_prefix("ELBSecurityPolicy-").is_some_and(|name| {
        ["TLS13-1-2", "TLS13-1-3", "TLS-1-2", "FS-1-2"].iter().any(|family| name.starts_with(family))
    })
}
