//! [`Vpc`]: a new VPC over two availability zones, with public and private subnets and NAT.

use stackwright_cfn::ec2;
use stackwright_template::{LogicalId, ResourceOptions, ResourceRef, Value, fns};

use crate::ec2::{FlowLog, FlowLogProps, Ipv4Cidr, Networking};
use crate::error::{Checks, Error};
use crate::kms::Key;
use crate::path::ConstructPath;
use crate::stack::Stack;

/// The availability zones the VPC spans.
const AZS: u32 = 2;

/// How the private subnets reach the internet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum NatGateways {
    /// One NAT gateway per availability zone: losing a zone does not cut the other's egress.
    OnePerAz,
    /// One NAT gateway for both zones: cheaper, but egress depends on one zone.
    Single,
}

/// Properties of a [`Vpc`].
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct VpcProps {
    /// The VPC's IPv4 block: an RFC 1918 block with a prefix of /16 to /24, split into four
    /// equal subnets (public then private, one of each per zone). **Default:** `10.0.0.0/16`
    /// (as CDK).
    pub cidr: String,
    /// **Default:** [`NatGateways::OnePerAz`] (as CDK).
    pub nat_gateways: NatGateways,
    /// Record the VPC's traffic to a log group encrypted with the VPC's key. **Default:**
    /// all traffic, kept a year (CDK: no flow log unless asked for).
    pub flow_logs: Option<FlowLogProps>,
}

impl Default for VpcProps {
    fn default() -> Self {
        Self { cidr: "10.0.0.0/16".into(), nat_gateways: NatGateways::OnePerAz, flow_logs: Some(FlowLogProps::new()) }
    }
}

impl VpcProps {
    /// The defaults.
    pub fn new() -> Self {
        Self::default()
    }

    /// See [`VpcProps::cidr`].
    #[must_use]
    pub fn cidr(mut self, cidr: impl Into<String>) -> Self {
        self.cidr = cidr.into();
        self
    }

    /// See [`VpcProps::nat_gateways`].
    #[must_use]
    pub fn nat_gateways(mut self, nat: NatGateways) -> Self {
        self.nat_gateways = nat;
        self
    }

    /// See [`VpcProps::flow_logs`]; `None` records nothing.
    #[must_use]
    pub fn flow_logs(mut self, flow_logs: Option<FlowLogProps>) -> Self {
        self.flow_logs = flow_logs;
        self
    }
}

/// A VPC the stack creates: two availability zones, a public and a private subnet in each,
/// an internet gateway for the public ones and NAT gateways for the private ones.
///
/// Instances launched in the public subnets get no public IP unless they ask for one
/// (`MapPublicIpOnLaunch: false`, checkov `CKV_AWS_130`): only load balancers live there.
/// Its traffic is recorded by a [`FlowLog`] to a log group encrypted with the given key.
/// types yet (checkov has no CloudFormation check for them either).
#[derive(Debug, Clone)]
pub struct Vpc {
    cidr: Ipv4Cidr,
    resource: ResourceRef<ec2::Vpc>,
    public_subnets: Vec<ResourceRef<ec2::Subnet>>,
    private_subnets: Vec<ResourceRef<ec2::Subnet>>,
    nat_gateways: Vec<ResourceRef<ec2::NatGateway>>,
    internet_gateway: ResourceRef<ec2::InternetGateway>,
    public_ready: Vec<LogicalId>,
    private_ready: Vec<LogicalId>,
    flow_log: Option<FlowLog>,
}

impl Vpc {
    /// Adds the VPC and its subnets, gateways and routes under `path`.
    #[allow(clippy::needless_pass_by_value)] // by value, so builder chains end in the call
    /// Adds the VPC at `path`; `key` encrypts its flow log.
    pub fn new(stack: &mut Stack, path: impl Into<ConstructPath>, key: &Key, props: VpcProps) -> Result<Self, Error> {
        let path = path.into();
        let mut checks = Checks::new(&path);
        let Some(cidr) = Ipv4Cidr::parse(&props.cidr) else {
            checks.fail(
                "vpc/cidr-syntax",
                format!("cidr must be an IPv4 block `a.b.c.d/n` with no host bit set, got {:?}", props.cidr),
            );
            // Nothing of the VPC can be built without its block.
            return Err(stack.stop(checks));
        };
        checks.require((16..=24).contains(&cidr.prefix()), "vpc/cidr-prefix", || {
            format!("cidr must have a prefix of /16 to /24, got /{}", cidr.prefix())
        });
        checks.require(cidr.is_rfc1918(), "vpc/cidr-private", || {
            format!("cidr must lie in 10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16, got {cidr}")
        });
        stack.record(checks);

        let vpc = stack.add(
            &path,
            ec2::Vpc::new().cidr_block(cidr.to_string()).enable_dns_support(true).enable_dns_hostnames(true),
        )?;
        let flow_log = match props.flow_logs {
            Some(flow_props) => Some(FlowLog::new(stack, path.child("FlowLog"), key, vpc.ref_(), flow_props)?),
            None => None,
        };
        let igw = stack.add(&path.child("InternetGateway"), ec2::InternetGateway::new())?;
        let attachment = stack.add(
            &path.child("InternetGatewayAttachment"),
            ec2::VpcGatewayAttachment::new(vpc.ref_()).internet_gateway_id(igw.ref_()),
        )?;
        let public_table = stack.add(&path.child("PublicRouteTable"), ec2::RouteTable::new(vpc.ref_()))?;
        // A route to the gateway fails until the gateway is attached.
        let mut public_ready = Vec::new();
        let mut private_ready = Vec::new();
        let public_route = stack.add_with(
            &path.child("PublicDefaultRoute"),
            ec2::Route::new(public_table.ref_()).destination_cidr_block("0.0.0.0/0").gateway_id(igw.ref_()),
            ResourceOptions::new().depends_on(attachment.logical_id()),
        )?;
        public_ready.push(public_route.logical_id().clone());

        let mut public_subnets = Vec::new();
        let mut private_subnets = Vec::new();
        let mut nat_gateways = Vec::new();
        for az in 0..AZS {
            let n = az + 1;
            let zone = fns::select(i64::from(az), fns::get_azs(""));
            let public = subnet(stack, &path.child(format!("PublicSubnet{n}")), &vpc, cidr, az, &zone)?;
            let association = stack.add(
                &path.child(format!("PublicSubnet{n}RouteTableAssociation")),
                ec2::SubnetRouteTableAssociation::new(public_table.ref_(), public.ref_()),
            )?;
            public_ready.push(association.logical_id().clone());
            if az == 0 || props.nat_gateways == NatGateways::OnePerAz {
                let eip = stack.add_with(
                    &path.child(format!("NatGateway{n}Eip")),
                    ec2::Eip::new().domain("vpc"),
                    ResourceOptions::new().depends_on(attachment.logical_id()),
                )?;
                nat_gateways.push(stack.add(
                    &path.child(format!("NatGateway{n}")),
                    ec2::NatGateway::new().subnet_id(public.ref_()).allocation_id(eip.allocation_id()),
                )?);
            }
            let private = subnet(stack, &path.child(format!("PrivateSubnet{n}")), &vpc, cidr, AZS + az, &zone)?;
            let table = stack.add(&path.child(format!("PrivateRouteTable{n}")), ec2::RouteTable::new(vpc.ref_()))?;
            // Zone 1 always has a NAT gateway; with a single one, zone 2 routes through it.
            if let Some(nat) = nat_gateways.last() {
                let route = stack.add(
                    &path.child(format!("PrivateDefaultRoute{n}")),
                    ec2::Route::new(table.ref_()).destination_cidr_block("0.0.0.0/0").nat_gateway_id(nat.ref_()),
                )?;
                private_ready.push(route.logical_id().clone());
            }
            let association = stack.add(
                &path.child(format!("PrivateSubnet{n}RouteTableAssociation")),
                ec2::SubnetRouteTableAssociation::new(table.ref_(), private.ref_()),
            )?;
            private_ready.push(association.logical_id().clone());
            public_subnets.push(public);
            private_subnets.push(private);
        }
        Ok(Self {
            cidr,
            resource: vpc,
            public_subnets,
            private_subnets,
            nat_gateways,
            internet_gateway: igw,
            public_ready,
            private_ready,
            flow_log,
        })
    }

    /// The VPC and subnets, for the constructs placed in them.
    pub fn networking(&self) -> Networking {
        let ids =
            |subnets: &[ResourceRef<ec2::Subnet>]| Value::Literal(subnets.iter().map(ResourceRef::ref_).collect());
        Networking {
            vpc_id: self.resource.ref_(),
            private_subnets: ids(&self.private_subnets),
            public_subnets: ids(&self.public_subnets),
            public_ready: self.public_ready.clone(),
            private_ready: self.private_ready.clone(),
        }
    }

    /// The flow log, unless [`VpcProps::flow_logs`] was `None`.
    pub fn flow_log(&self) -> Option<&FlowLog> {
        self.flow_log.as_ref()
    }

    /// The VPC's IPv4 block, e.g. to let an internal load balancer accept the whole VPC.
    pub fn cidr(&self) -> Value<String> {
        self.cidr.to_string().into()
    }

    /// The L1 VPC: the escape hatch.
    pub fn resource(&self) -> &ResourceRef<ec2::Vpc> {
        &self.resource
    }

    /// The public subnets, one per zone.
    pub fn public_subnets(&self) -> &[ResourceRef<ec2::Subnet>] {
        &self.public_subnets
    }

    /// The private subnets, one per zone.
    pub fn private_subnets(&self) -> &[ResourceRef<ec2::Subnet>] {
        &self.private_subnets
    }

    /// The NAT gateways: one per zone, or one.
    pub fn nat_gateways(&self) -> &[ResourceRef<ec2::NatGateway>] {
        &self.nat_gateways
    }

    /// The internet gateway.
    pub fn internet_gateway(&self) -> &ResourceRef<ec2::InternetGateway> {
        &self.internet_gateway
    }
}

fn subnet(
    stack: &mut Stack,
    path: &ConstructPath,
    vpc: &ResourceRef<ec2::Vpc>,
    cidr: Ipv4Cidr,
    index: u32,
    zone: &Value<String>,
) -> Result<ResourceRef<ec2::Subnet>, Error> {
    // A /24 or shorter block always splits in four; a longer one broke `vpc/cidr-prefix`
    // already, and one past /30 cannot be split at all.
    let Some(block) = cidr.subnet(2, index) else {
        let mut checks = Checks::new(path);
        checks.fail("vpc/cidr-prefix", format!("{cidr} cannot be split into four subnets"));
        return Err(stack.stop(checks));
    };
    stack.add(
        path,
        ec2::Subnet::new(vpc.ref_())
            .cidr_block(block.to_string())
            .availability_zone(zone.clone())
            .map_public_ip_on_launch(false),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn render(props: VpcProps) -> serde_json::Value {
        let mut stack = Stack::new("t").unwrap();
        let key = crate::kms::Key::new(&mut stack, "Key", crate::kms::KeyProps::new()).unwrap();
        let vpc = Vpc::new(&mut stack, "Net", &key, props).unwrap();
        assert_eq!(
            vpc.networking().private_subnets.to_json(),
            json!([{"Ref": "NetPrivateSubnet1"}, {"Ref": "NetPrivateSubnet2"}])
        );
        stack.finish().unwrap().template().to_json()
    }

    #[test]
    fn defaults_two_zones_a_nat_each_no_public_ips() {
        let json = render(VpcProps::new());
        let r = &json["Resources"];
        assert_eq!(r["Net"]["Properties"]["CidrBlock"], "10.0.0.0/16");
        assert_eq!(r["NetPublicSubnet1"]["Properties"]["CidrBlock"], "10.0.0.0/18");
        assert_eq!(r["NetPublicSubnet2"]["Properties"]["CidrBlock"], "10.0.64.0/18");
        assert_eq!(r["NetPrivateSubnet1"]["Properties"]["CidrBlock"], "10.0.128.0/18");
        assert_eq!(r["NetPrivateSubnet2"]["Properties"]["CidrBlock"], "10.0.192.0/18");
        assert_eq!(r["NetPublicSubnet2"]["Properties"]["MapPublicIpOnLaunch"], false);
        assert_eq!(
            r["NetPrivateSubnet2"]["Properties"]["AvailabilityZone"],
            json!({"Fn::Select": [1, {"Fn::GetAZs": ""}]})
        );
        assert_eq!(r["NetPrivateDefaultRoute2"]["Properties"]["NatGatewayId"], json!({"Ref": "NetNatGateway2"}));
        assert_eq!(r["NetPublicDefaultRoute"]["DependsOn"], json!(["NetInternetGatewayAttachment"]));
    }

    #[test]
    fn a_single_nat_serves_both_zones() {
        let json = render(VpcProps::new().nat_gateways(NatGateways::Single).cidr("192.168.0.0/20"));
        let r = &json["Resources"];
        assert!(r.get("NetNatGateway2").is_none());
        assert_eq!(r["NetPrivateDefaultRoute2"]["Properties"]["NatGatewayId"], json!({"Ref": "NetNatGateway1"}));
        assert_eq!(r["NetPrivateSubnet2"]["Properties"]["CidrBlock"], "192.168.12.0/22");
    }

    #[test]
    fn cidr_rules() {
        let err = |cidr: &str| {
            let mut stack = Stack::new("t").unwrap();
            let key = crate::kms::Key::new(&mut stack, "Key", crate::kms::KeyProps::new()).unwrap();
            match Vpc::new(&mut stack, "Net", &key, VpcProps::new().cidr(cidr)) {
                // A block that does not parse stops the VPC at once.
                Err(stopped) => stopped.to_string(),
                // Other mistakes are recorded; the VPC is built and the stack refuses to finish.
                Ok(_) => stack.finish().unwrap_err().to_string(),
            }
        };
        assert_eq!(
            err("10.0.0.1/16"),
            "Net: cidr must be an IPv4 block `a.b.c.d/n` with no host bit set, got \"10.0.0.1/16\" [vpc/cidr-syntax]"
        );
        assert_eq!(
            err("8.0.0.0/8"),
            "Net: cidr must have a prefix of /16 to /24, got /8 [vpc/cidr-prefix]\n\
             Net: cidr must lie in 10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16, got 8.0.0.0/8 [vpc/cidr-private]"
        );
    }
}
