//! [`SecurityGroup`]: a described security group that allows nothing it was not told to.

use stackwright_cfn::ec2;
use stackwright_cfn::ec2::security_group::{Egress, Ingress};
use stackwright_template::{LogicalId, ResourceOptions, ResourceRef, Value};

use crate::ec2::Ipv4Cidr;
use crate::error::{Checks, Error};
use crate::path::ConstructPath;
use crate::stack::Stack;

/// Who a rule lets in (ingress) or out to (egress).
#[derive(Debug, Clone, PartialEq)]
pub enum Peer {
    /// An IPv4 block, e.g. `0.0.0.0/0` or a VPC's CIDR; checked when it is a literal.
    Cidr(Value<String>),
    /// Another security group, by ID.
    SecurityGroup(Value<String>),
}

impl Peer {
    /// An IPv4 block.
    pub fn cidr(cidr: impl Into<Value<String>>) -> Self {
        Self::Cidr(cidr.into())
    }

    /// Another security group.
    pub fn security_group(id: impl Into<Value<String>>) -> Self {
        Self::SecurityGroup(id.into())
    }
}

/// One TCP rule: a peer, a port and why.
#[derive(Debug, Clone, PartialEq)]
pub struct TcpRule {
    /// The peer.
    pub peer: Peer,
    /// The TCP port, 1-65535.
    pub port: u16,
    /// Why the rule exists (checkov `CKV_AWS_23` wants every rule described).
    pub description: String,
}

impl TcpRule {
    /// TCP `port` from or to `peer`.
    pub fn new(peer: Peer, port: u16, description: impl Into<String>) -> Self {
        Self { peer, port, description: description.into() }
    }
}

/// Properties of a [`SecurityGroup`].
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct SecurityGroupProps {
    /// What the group protects: required by EC2, 1-255 printable ASCII characters. **Required.**
    pub description: String,
    /// Inbound TCP rules, written into the group. **Default:** none.
    pub ingress: Vec<TcpRule>,
    /// Whether all outbound traffic is allowed. **Default:** `false`: outbound rules are added
    /// one by one (CDK defaults to `true`; EC2 to allow-all unless a rule is given, so the
    /// group gets CDK's "disallow all" placeholder rule, ICMP type 252 code 86 to
    /// `255.255.255.255/32`, which matches no traffic).
    pub allow_all_outbound: bool,
}

impl SecurityGroupProps {
    /// A group described by `description`.
    pub fn new(description: impl Into<String>) -> Self {
        Self { description: description.into(), ingress: Vec::new(), allow_all_outbound: false }
    }

    /// Adds an inbound rule, see [`SecurityGroupProps::ingress`].
    #[must_use]
    pub fn ingress(mut self, rule: TcpRule) -> Self {
        self.ingress.push(rule);
        self
    }

    /// See [`SecurityGroupProps::allow_all_outbound`].
    #[must_use]
    pub fn allow_all_outbound(mut self, yes: bool) -> Self {
        self.allow_all_outbound = yes;
        self
    }
}

/// A security group in a VPC. Rules added after it was created are separate
/// `AWS::EC2::SecurityGroupIngress` / `SecurityGroupEgress` resources, so two groups can
/// refer to each other without a dependency cycle.
#[derive(Debug, Clone)]
pub struct SecurityGroup {
    path: ConstructPath,
    resource: ResourceRef<ec2::SecurityGroup>,
}

impl SecurityGroup {
    /// Adds the group at `path`, in the VPC `vpc_id`.
    pub fn new(
        stack: &mut Stack,
        path: impl Into<ConstructPath>,
        vpc_id: impl Into<Value<String>>,
        props: SecurityGroupProps,
    ) -> Result<Self, Error> {
        Self::with_options(stack, path.into(), vpc_id.into(), props, ResourceOptions::new())
    }

    /// [`SecurityGroup::new`] with resource attributes (a documented checkov skip...).
    pub(crate) fn with_options(
        stack: &mut Stack,
        path: ConstructPath,
        vpc_id: Value<String>,
        props: SecurityGroupProps,
        options: ResourceOptions,
    ) -> Result<Self, Error> {
        let mut checks = Checks::new(&path);
        check_description(&mut checks, "description", &props.description);
        for rule in &props.ingress {
            check_rule(&mut checks, rule);
        }
        stack.record(checks);
        let ingress: Vec<Ingress> = props
            .ingress
            .into_iter()
            .map(|rule| {
                let ingress = Ingress::new("tcp")
                    .from_port(i64::from(rule.port))
                    .to_port(i64::from(rule.port))
                    .description(rule.description);
                match rule.peer {
                    Peer::Cidr(cidr) => ingress.cidr_ip(cidr),
                    Peer::SecurityGroup(id) => ingress.source_security_group_id(id),
                }
            })
            .collect();
        let egress = if props.allow_all_outbound {
            Egress::new("-1").cidr_ip("0.0.0.0/0").description("Allow all outbound traffic")
        } else {
            Egress::new("icmp")
                .cidr_ip("255.255.255.255/32")
                .from_port(252)
                .to_port(86)
                .description("Disallow all traffic")
        };
        let mut group = ec2::SecurityGroup::new(props.description).vpc_id(vpc_id).security_group_egress(vec![egress]);
        if !ingress.is_empty() {
            group = group.security_group_ingress(ingress);
        }
        let resource = stack.add_with(&path, group, options)?;
        Ok(Self { path, resource })
    }

    /// Lets `rule`'s peer reach this group on its TCP port, as the resource `<path>/<id>`;
    /// returns that resource's logical ID, for what must wait for the rule.
    pub fn allow_ingress(&self, stack: &mut Stack, id: &str, rule: TcpRule) -> Result<LogicalId, Error> {
        let path = self.path.child(id);
        let mut checks = Checks::new(&path);
        check_rule(&mut checks, &rule);
        stack.record(checks);
        let port = i64::from(rule.port);
        let ingress = ec2::SecurityGroupIngress::new("tcp")
            .group_id(self.id())
            .from_port(port)
            .to_port(port)
            .description(rule.description);
        let ingress = match rule.peer {
            Peer::Cidr(cidr) => ingress.cidr_ip(cidr),
            Peer::SecurityGroup(id) => ingress.source_security_group_id(id),
        };
        Ok(stack.add(&path, ingress)?.logical_id().clone())
    }

    /// Lets this group reach `rule`'s peer on its TCP port, as the resource `<path>/<id>`;
    /// returns that resource's logical ID, for what must wait for the rule.
    pub fn allow_egress(&self, stack: &mut Stack, id: &str, rule: TcpRule) -> Result<LogicalId, Error> {
        let path = self.path.child(id);
        let mut checks = Checks::new(&path);
        check_rule(&mut checks, &rule);
        stack.record(checks);
        let port = i64::from(rule.port);
        let egress =
            ec2::SecurityGroupEgress::new(self.id(), "tcp").from_port(port).to_port(port).description(rule.description);
        let egress = match rule.peer {
            Peer::Cidr(cidr) => egress.cidr_ip(cidr),
            Peer::SecurityGroup(id) => egress.destination_security_group_id(id),
        };
        Ok(stack.add(&path, egress)?.logical_id().clone())
    }

    /// The group's ID (`Fn::GetAtt GroupId`).
    pub fn id(&self) -> Value<String> {
        self.resource.group_id()
    }

    /// The group's construct path.
    pub fn path(&self) -> &ConstructPath {
        &self.path
    }

    /// The group's logical ID.
    pub fn logical_id(&self) -> &LogicalId {
        self.resource.logical_id()
    }

    /// The L1 resource: the escape hatch.
    pub fn resource(&self) -> &ResourceRef<ec2::SecurityGroup> {
        &self.resource
    }
}

fn check_description(checks: &mut Checks, what: &str, text: &str) {
    let ok = !text.is_empty() && text.len() <= 255 && text.bytes().all(|b| (0x20..0x7f).contains(&b));
    checks.require(ok, "security-group/description", || {
        format!("{what} must be 1-255 printable ASCII characters, got {text:?}")
    });
}

fn check_rule(checks: &mut Checks, rule: &TcpRule) {
    checks.require(rule.port != 0, "security-group/port", || "a rule's port must be 1-65535, got 0".to_owned());
    check_description(checks, "a rule's description", &rule.description);
    if let Peer::Cidr(Value::Literal(cidr)) = &rule.peer {
        checks.require(Ipv4Cidr::parse(cidr).is_some(), "security-group/cidr", || {
            format!("a rule's CIDR must be an IPv4 block `a.b.c.d/n` with no host bit set, got {cidr:?}")
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn default_denies_all_outbound_and_describes_rules() {
        let mut stack = Stack::new("t").unwrap();
        let props = SecurityGroupProps::new("Web tier").ingress(TcpRule::new(Peer::cidr("10.0.0.0/16"), 443, "HTTPS"));
        let sg = SecurityGroup::new(&mut stack, "Sg", "vpc-1", props).unwrap();
        sg.allow_egress(&mut stack, "ToApp", TcpRule::new(Peer::security_group("sg-2"), 8080, "To the app")).unwrap();
        sg.allow_ingress(&mut stack, "FromLb", TcpRule::new(Peer::security_group("sg-3"), 80, "From the LB")).unwrap();
        let json = stack.finish().unwrap().template().to_json();
        let r = &json["Resources"];
        assert_eq!(
            r["Sg"]["Properties"]["SecurityGroupEgress"],
            json!([{"CidrIp": "255.255.255.255/32", "Description": "Disallow all traffic", "FromPort": 252, "IpProtocol": "icmp", "ToPort": 86}])
        );
        assert_eq!(r["Sg"]["Properties"]["SecurityGroupIngress"][0]["CidrIp"], "10.0.0.0/16");
        assert_eq!(r["SgToApp"]["Properties"]["DestinationSecurityGroupId"], "sg-2");
        assert_eq!(r["SgToApp"]["Properties"]["GroupId"], json!({"Fn::GetAtt": ["Sg", "GroupId"]}));
        assert_eq!(r["SgFromLb"]["Properties"]["SourceSecurityGroupId"], "sg-3");
    }

    #[test]
    fn allow_all_outbound_is_explicit() {
        let mut stack = Stack::new("t").unwrap();
        SecurityGroup::new(&mut stack, "Sg", "vpc-1", SecurityGroupProps::new("x").allow_all_outbound(true)).unwrap();
        let json = stack.finish().unwrap().template().to_json();
        assert_eq!(json["Resources"]["Sg"]["Properties"]["SecurityGroupEgress"][0]["IpProtocol"], "-1");
    }

    #[test]
    fn rules_are_checked_together() {
        let mut stack = Stack::new("t").unwrap();
        let props = SecurityGroupProps::new("").ingress(TcpRule::new(Peer::cidr("10.0.0.1/8"), 0, "é"));
        SecurityGroup::new(&mut stack, "Sg", "vpc-1", props).unwrap();
        let err = stack.finish().unwrap_err();
        assert_eq!(
            err.to_string(),
            "Sg: a rule's CIDR must be an IPv4 block `a.b.c.d/n` with no host bit set, got \"10.0.0.1/8\" [security-group/cidr]\n\
             Sg: a rule's description must be 1-255 printable ASCII characters, got \"é\" [security-group/description]\n\
             Sg: description must be 1-255 printable ASCII characters, got \"\" [security-group/description]\n\
             Sg: a rule's port must be 1-65535, got 0 [security-group/port]"
        );
    }
}
