//! [`Networking::from_parameters`]: an existing VPC, given when the stack is deployed.

use stackwright_template::Parameter;

use crate::ec2::Networking;
use crate::error::Error;
use crate::stack::Stack;

/// The parameter holding the VPC's ID.
pub const VPC_ID_PARAMETER: &str = "VpcId";
/// The parameter holding the private subnets' IDs.
pub const PRIVATE_SUBNETS_PARAMETER: &str = "PrivateSubnetIds";
/// The parameter holding the public subnets' IDs.
pub const PUBLIC_SUBNETS_PARAMETER: &str = "PublicSubnetIds";

impl Networking {
    /// An existing VPC, chosen when the stack is deployed: adds the parameters `VpcId`
    /// (`AWS::EC2::VPC::Id`), `PrivateSubnetIds` and `PublicSubnetIds`
    /// (`List<AWS::EC2::Subnet::Id>`), which the console offers as drop-downs and
    /// CloudFormation checks exist before it creates anything.
    pub fn from_parameters(stack: &mut Stack) -> Result<Self, Error> {
        let vpc = stack.add_parameter(
            VPC_ID_PARAMETER,
            Parameter::aws("AWS::EC2::VPC::Id").description("The VPC the service and its load balancer run in."),
        )?;
        let private = stack.add_parameter(
            PRIVATE_SUBNETS_PARAMETER,
            Parameter::aws_list("List<AWS::EC2::Subnet::Id>").description(
                "Private subnets of that VPC (two or more, in different availability zones, with a route to \
                 a NAT gateway or VPC endpoints): tasks, mount targets, internal load balancers.",
            ),
        )?;
        let public = stack.add_parameter(
            PUBLIC_SUBNETS_PARAMETER,
            Parameter::aws_list("List<AWS::EC2::Subnet::Id>").description(
                "Public subnets of that VPC (two or more, in different availability zones, routed to an \
                 internet gateway): internet-facing load balancers.",
            ),
        )?;
        Ok(Self {
            vpc_id: vpc.value(),
            private_subnets: private.value(),
            public_subnets: public.value(),
            // An existing VPC is routed already.
            public_ready: Vec::new(),
            private_ready: Vec::new(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn three_typed_parameters_with_descriptions() {
        let mut stack = Stack::new("t").unwrap();
        let networking = Networking::from_parameters(&mut stack).unwrap();
        assert_eq!(networking.vpc_id.to_json(), json!({"Ref": "VpcId"}));
        assert_eq!(networking.private_subnets.to_json(), json!({"Ref": "PrivateSubnetIds"}));
        assert_eq!(networking.public_subnets.to_json(), json!({"Ref": "PublicSubnetIds"}));
        let json = stack.finish().unwrap().template().to_json();
        assert_eq!(json["Parameters"]["VpcId"]["Type"], "AWS::EC2::VPC::Id");
        assert_eq!(json["Parameters"]["PublicSubnetIds"]["Type"], "List<AWS::EC2::Subnet::Id>");
        for id in ["VpcId", "PrivateSubnetIds", "PublicSubnetIds"] {
            assert!(json["Parameters"][id]["Description"].is_string(), "{id}");
        }
    }

    #[test]
    fn twice_is_a_duplicate_parameter_error() {
        let mut stack = Stack::new("t").unwrap();
        Networking::from_parameters(&mut stack).unwrap();
        assert!(Networking::from_parameters(&mut stack).unwrap_err().to_string().contains("VpcId"));
    }
}
