//! Load balancer log delivery in Regions opened before August 2022, where Elastic Load
//! Balancing writes as a per-Region AWS account rather than as a service principal.

use serde_json::json;
use stackwright_template::{Condition, ConditionRef, LogicalId, Mapping, Pseudo, Value, fns};

use crate::error::Error;
use crate::iam::{Action, Principal, Statement};
use crate::s3::Bucket;
use crate::stack::Stack;

const MAPPING: &str = "ElbLogDeliveryAccounts";

/// The Elastic Load Balancing account of each Region opened before August 2022, from the
/// Elastic Load Balancing user guide ("Attach a policy to your S3 bucket"). Newer Regions
/// use the `logdelivery.elasticloadbalancing.amazonaws.com` principal instead.
const ACCOUNTS: [(&str, &str); 26] = [
    ("af-south-1", "098369216593"),
    ("ap-east-1", "754344448648"),
    ("ap-northeast-1", "582318560864"),
    ("ap-northeast-2", "600734575887"),
    ("ap-northeast-3", "383597477331"),
    ("ap-south-1", "718504428378"),
    ("ap-southeast-1", "114774131450"),
    ("ap-southeast-2", "783225319266"),
    ("ap-southeast-3", "589379963580"),
    ("ca-central-1", "985666609251"),
    ("cn-north-1", "638102146993"),
    ("cn-northwest-1", "037604701340"),
    ("eu-central-1", "054676820928"),
    ("eu-north-1", "897822967062"),
    ("eu-south-1", "635631232127"),
    ("eu-west-1", "156460612806"),
    ("eu-west-2", "652711504416"),
    ("eu-west-3", "009996457667"),
    ("me-south-1", "076674570225"),
    ("sa-east-1", "507241528517"),
    ("us-east-1", "127311923021"),
    ("us-east-2", "033677994240"),
    ("us-gov-east-1", "190560391635"),
    ("us-gov-west-1", "048591011584"),
    ("us-west-1", "027434742980"),
    ("us-west-2", "797873946194"),
];

/// Adds the per-Region account statement, looked up in a mapping. In a Region not in the
/// mapping `Fn::FindInMap` would fail the deploy, so the statement's principal falls back to
/// the service principal there (through a condition on the Region).
pub(super) fn allow_legacy_region_accounts(
    stack: &mut Stack,
    bucket: &Bucket,
    logs: Value<String>,
) -> Result<(), Error> {
    if !stack.template().mappings().keys().any(|id| id.as_str() == MAPPING) {
        let mapping: Mapping = ACCOUNTS
            .iter()
            .map(|(region, account)| ((*region).to_owned(), [("Account".to_owned(), json!(account))].into()))
            .collect();
        stack.template_mut().add_mapping(LogicalId::new(MAPPING)?, mapping)?;
        let regions = ACCOUNTS.iter().map(|(region, _)| fns::equals(fns::pseudo(Pseudo::Region), *region)).collect();
        stack.add_condition(CONDITION, any_of(regions))?;
    }
    let condition = ConditionRef::new(LogicalId::new(CONDITION)?);
    let account = fns::find_in_map(MAPPING, fns::pseudo(Pseudo::Region), "Account");
    // Outside those Regions the principal is this account: harmless (its IAM policies decide),
    // and a statement cannot be left out conditionally in a typed policy.
    let principal = fns::if_(
        &condition,
        fns::sub_with("arn:${AWS::Partition}:iam::${Account}:root", [("Account", account)]),
        fns::sub("arn:${AWS::Partition}:iam::${AWS::AccountId}:root"),
    );
    bucket.add_to_resource_policy(
        stack,
        Statement::allow([Action::from_static("s3:PutObject")])
            .principal(Principal::Aws(principal))
            .on(logs)
            .sid("LoadBalancerLogsDeliveryLegacyRegions"),
    )
}

const CONDITION: &str = "IsElbLegacyLogDeliveryRegion";

/// `Fn::Or` takes 2 to 10 conditions: nest them in groups of ten.
fn any_of(mut conditions: Vec<Condition>) -> Condition {
    while conditions.len() > 10 {
        let rest = conditions.split_off(10);
        conditions = vec![fns::or(conditions), any_of(rest)];
    }
    fns::or(conditions)
}
