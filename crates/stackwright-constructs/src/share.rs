//! Values shared between the stacks of an app: one stack [exports](Stack::export) a value, others
//! [import](Stack::import) it. Two ways to carry it, chosen by the exporter:
//!
//! - [`Carrier::Export`] (the default): an `Outputs` entry with `Export.Name`
//!   `<exporting stack>:<id>` and `Fn::ImportValue` of that name in the importer. CloudFormation
//!   tracks the link: the exporting stack cannot remove or change the export while any stack
//!   imports it (the "deadly embrace": remove the import first, deploy, then the export).
//! - [`Carrier::SsmParameter`]: an `AWS::SSM::Parameter` named `/<exporting stack>/<id>`, read by
//!   the importer through a parameter of type `AWS::SSM::Parameter::Value<String>`, resolved at
//!   each deploy of the importer. CloudFormation does not track the link, so the exporter may
//!   change the value (importers see it at their next deploy) or remove it (their next deploy
//!   fails); the app records the dependency itself, for the order of `manifest.json`.
//!
//! Either way the importer is deployed after the exporter, and a cycle between stacks is an
//! error naming both ([`stackwright_template::App::add_stack`]). Imports resolve in one account
//! and region only: a stack cannot import from a stack placed elsewhere (`share/placement`).

use serde_json::json;
use stackwright_template::{
    Json, LogicalId, Output, Parameter, Placement, Resource, ResourceOptions, StackName, Value, fns,
};

use crate::error::{Checks, Error};
use crate::stack::Stack;

/// How a shared value travels from its stack to the importers.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum Carrier {
    /// A CloudFormation export and `Fn::ImportValue`. **Default.**
    #[default]
    Export,
    /// An SSM parameter the exporter writes and importers resolve at deploy time.
    SsmParameter,
}

/// A value a stack exports, for [`Stack::import`] in other stacks of the app.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Shared {
    stack: StackName,
    placement: Option<Placement>,
    id: String,
    carrier: Carrier,
}

impl Shared {
    /// The stack that exports it.
    pub fn stack(&self) -> &StackName {
        &self.stack
    }

    /// Its id in the exporting stack (the output's logical ID).
    pub fn id(&self) -> &str {
        &self.id
    }

    /// How it travels.
    pub fn carrier(&self) -> Carrier {
        self.carrier
    }

    /// The export name (`<stack>:<id>`) or the SSM parameter name (`/<stack>/<id>`): stable and
    /// readable, the same on every synth while the stack and the id stay.
    pub fn name(&self) -> String {
        match self.carrier {
            Carrier::Export => format!("{}:{}", self.stack, self.id),
            Carrier::SsmParameter => format!("/{}/{}", self.stack, self.id),
        }
    }
}

impl Stack {
    /// Exports `value` as `id` (letters and digits: it is the output's logical ID too) through
    /// a CloudFormation export named `<stack>:<id>`.
    pub fn export(
        &mut self,
        id: &str,
        value: impl Into<Value<String>>,
        description: impl Into<String>,
    ) -> Result<Shared, Error> {
        self.export_with(id, value, description, Carrier::Export)
    }

    /// [`Stack::export`], carried as `carrier` says.
    pub fn export_with(
        &mut self,
        id: &str,
        value: impl Into<Value<String>>,
        description: impl Into<String>,
        carrier: Carrier,
    ) -> Result<Shared, Error> {
        let shared =
            Shared { stack: self.name().clone(), placement: self.placement().cloned(), id: id.to_owned(), carrier };
        let logical_id = LogicalId::new(id)?;
        let value = value.into();
        let description = description.into();
        match carrier {
            Carrier::Export => {
                let output = Output::new(value).description(description).export(shared.name());
                self.template_mut().add_output(logical_id, output)?;
            }
            Carrier::SsmParameter => {
                let properties = [
                    ("Name".to_owned(), json!(shared.name())),
                    ("Type".to_owned(), json!("String")),
                    ("Value".to_owned(), value.to_json()),
                    ("Description".to_owned(), json!(description)),
                ];
                let resource = Resource::raw("AWS::SSM::Parameter", properties.into_iter().collect());
                let owner = format!("Shared/{id}");
                self.template_mut().add_resource(logical_id, resource, ResourceOptions::new().owner(owner))?;
            }
        }
        Ok(shared)
    }

    /// The value `shared` carries, read in this stack: `Fn::ImportValue` of its export, or a
    /// `Ref` to a parameter resolving its SSM parameter (`Shared<Id>`, `Shared<Id>2`… on a
    /// clash). Records that this stack is deployed after the exporter.
    ///
    /// Errors: importing from this stack itself (`share/self`); from a stack placed in another
    /// account or region (`share/placement`: CloudFormation resolves imports and SSM parameter
    /// types only in the stack's own account and region).
    pub fn import(&mut self, shared: &Shared) -> Result<Value<String>, Error> {
        let mut checks = Checks::new(&format!("{}/Shared/{}", shared.stack, shared.id));
        checks.require(&shared.stack != self.name(), "share/self", || {
            format!("stack {} imports its own value: use it directly", self.name())
        });
        let (here, there) = (self.placement(), shared.placement.as_ref());
        let same = match (here, there) {
            (Some(a), Some(b)) => a.shares_exports_with(b),
            (None, None) => true,
            (Some(p), None) | (None, Some(p)) => p.account.is_none() && p.region.is_none(),
        };
        checks.require(same, "share/placement", || {
            format!(
                "stack {} ({}) cannot import from stack {} ({}): CloudFormation resolves imports only in one account \
                 and region; share the value inside each environment",
                self.name(),
                describe(here),
                shared.stack,
                describe(there)
            )
        });
        if !checks.is_ok() {
            return Err(self.stop(checks));
        }
        match shared.carrier {
            Carrier::Export => Ok(fns::import_value(shared.name())),
            Carrier::SsmParameter => {
                let base = format!("Shared{}", shared.id);
                let mut id = base.clone();
                let mut n = 2;
                while self.template().parameters().keys().any(|k| k.as_str() == id) {
                    id = format!("{base}{n}");
                    n += 1;
                }
                let mut parameter = Parameter::aws("AWS::SSM::Parameter::Value<String>")
                    .description(format!("Resolves the SSM parameter stack {} writes", shared.stack));
                parameter.default = Some(Json::from(shared.name()));
                let value = self.add_parameter(&id, parameter)?;
                self.depend_on(shared.stack.clone(), format!("reads SSM parameter {}", shared.name()));
                Ok(value.value())
            }
        }
    }

    /// [`Stack::import`] of a comma-separated list (subnet IDs): `Fn::Split` of the value.
    pub fn import_list(&mut self, shared: &Shared) -> Result<Value<Vec<Value<String>>>, Error> {
        Ok(fns::split(",", self.import(shared)?))
    }
}

fn describe(placement: Option<&Placement>) -> String {
    match placement {
        None => "not placed".to_owned(),
        Some(p) => format!(
            "environment {}, account {}, region {}",
            p.environment,
            p.account.as_deref().unwrap_or("unpinned"),
            p.region.as_deref().unwrap_or("unpinned")
        ),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;
    use stackwright_cfn::ecs;

    use super::*;
    use crate::path::ConstructPath;

    fn foundation() -> (Stack, Shared) {
        let mut net = Stack::new("foundation").unwrap();
        let cluster = net.add(&ConstructPath::root("Cluster"), ecs::Cluster::new()).unwrap();
        let shared = net.export("ClusterName", cluster.ref_(), "The shared ECS cluster").unwrap();
        (net, shared)
    }

    #[test]
    fn an_export_and_its_import_render_as_a_pair_and_order_the_stacks() {
        let (net, shared) = foundation();
        assert_eq!(shared.name(), "foundation:ClusterName");
        let mut web = Stack::new("web").unwrap();
        let name = web.import(&shared).unwrap();
        assert_eq!(name.to_json(), json!({"Fn::ImportValue": "foundation:ClusterName"}));
        web.add_output("Cluster", Output::new(name)).unwrap();
        // Finished in any order: the app deploys the exporter first.
        let app = Stack::finish_all([web, net]).unwrap();
        let foundation = app.finished_stack("foundation").unwrap().to_json();
        assert_eq!(
            foundation["Outputs"]["ClusterName"],
            json!({"Description": "The shared ECS cluster", "Value": {"Ref": "Cluster"},
                   "Export": {"Name": "foundation:ClusterName"}})
        );
        let web = app.finished_stack("web").unwrap().to_json();
        assert_eq!(web["Outputs"]["Cluster"]["Value"], json!({"Fn::ImportValue": "foundation:ClusterName"}));
        let order: Vec<&str> = app.in_dependency_order().iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(order, ["foundation", "web"]);
    }

    #[test]
    fn stacks_sharing_both_ways_are_a_cycle_naming_both() {
        let (mut net, to_web) = foundation();
        let mut web = Stack::new("web").unwrap();
        let imported = web.import(&to_web).unwrap();
        web.add_output("Cluster", Output::new(imported)).unwrap();
        let back = web.export("Url", "https://web.example.com", "The web URL").unwrap();
        let url = net.import(&back).unwrap();
        net.add_output("WebUrl", Output::new(url)).unwrap();
        let err = Stack::finish_all([net, web]).unwrap_err().to_string();
        assert_eq!(
            err,
            "stacks \"web\" and \"foundation\" depend on each other (web → foundation: imports foundation:ClusterName; \
             foundation → web: imports web:Url): neither can be deployed first; share the value in one direction only"
        );
    }

    #[test]
    fn an_ssm_carried_value_is_a_parameter_and_a_declared_dependency() {
        let mut net = Stack::new("foundation").unwrap();
        let shared = net.export_with("VpcId", "vpc-123", "The VPC", Carrier::SsmParameter).unwrap();
        assert_eq!(shared.name(), "/foundation/VpcId");
        let mut web = Stack::new("web").unwrap();
        let vpc = web.import(&shared).unwrap();
        assert_eq!(vpc.to_json(), json!({"Ref": "SharedVpcId"}));
        web.add_output("Vpc", Output::new(vpc)).unwrap();
        let app = Stack::finish_all([web, net]).unwrap();
        let web_json = app.finished_stack("web").unwrap().to_json();
        assert_eq!(web_json["Parameters"]["SharedVpcId"]["Type"], "AWS::SSM::Parameter::Value<String>");
        assert_eq!(web_json["Parameters"]["SharedVpcId"]["Default"], "/foundation/VpcId");
        let parameter = &app.finished_stack("foundation").unwrap().to_json()["Resources"]["VpcId"];
        assert_eq!(parameter["Type"], "AWS::SSM::Parameter");
        assert_eq!(parameter["Properties"]["Name"], "/foundation/VpcId");
        let web = StackName::new("web").unwrap();
        let deps: Vec<String> = app.dependencies(&web).into_iter().map(|(n, why)| format!("{n}: {why}")).collect();
        assert_eq!(deps, ["foundation: reads SSM parameter /foundation/VpcId"]);
    }

    #[test]
    fn imports_stay_in_one_account_and_region() {
        let staging = Placement {
            environment: "staging".into(),
            account: Some("111111111111".into()),
            region: None,
            ..Placement::default()
        };
        let production =
            Placement { environment: "production".into(), account: Some("222222222222".into()), ..staging.clone() };
        let mut net = Stack::new("foundation-staging").unwrap().with_placement(staging);
        let shared = net.export("VpcId", "vpc-1", "The VPC").unwrap();
        let mut web = Stack::new("web-production").unwrap().with_placement(production);
        let err = web.import(&shared).unwrap_err().to_string();
        assert_eq!(
            err,
            "foundation-staging/Shared/VpcId: stack web-production (environment production, account 222222222222, \
             region unpinned) cannot import from stack foundation-staging (environment staging, account \
             111111111111, region unpinned): CloudFormation resolves imports only in one account and region; share \
             the value inside each environment [share/placement]"
        );
        let err = net.import(&shared).unwrap_err().to_string();
        assert!(err.contains("stack foundation-staging imports its own value: use it directly [share/self]"), "{err}");
    }

    #[test]
    fn export_names_use_only_the_characters_cloudformation_accepts() {
        // CloudFormation: "The Name field of every Export member must … consist only of
        // alphanumeric characters, colons, or hyphens." A stack name (letters, digits,
        // hyphens) and a logical ID (letters, digits) joined by a colon always do.
        let mut net = Stack::new("platform-foundation-production").unwrap();
        let shared = net.export("ClusterArn2", "arn", "The cluster").unwrap();
        assert_eq!(shared.name(), "platform-foundation-production:ClusterArn2");
        assert!(shared.name().chars().all(|c| c.is_ascii_alphanumeric() || c == ':' || c == '-'));
        let err = net.export("Cluster-Arn", "arn", "The cluster").unwrap_err().to_string();
        assert!(err.contains("Cluster-Arn"), "{err}");
        // Stable: the same stack and id give the same name on every synth.
        let again = Stack::new("platform-foundation-production").unwrap().export("ClusterArn2", "x", "d").unwrap();
        assert_eq!(again.name(), shared.name());
    }
}
