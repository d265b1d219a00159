//! Names a service refuses when CloudFormation creates the resource (literal strings only; a
//! dynamic reference, `{{resolve:…}}`, is resolved at deployment):
//!
//! - `CloudFront`: an alternate domain name (`DistributionConfig.Aliases`) is a host name,
//!   its first label possibly `*` (`CreateDistribution` answers `InvalidArgument`);
//! - RDS: `Engine` of a DB instance is one of the engines `CreateDBInstance` lists (any case);
//! - CodeBuild: `ServiceRole` given as `Ref` of a role is the role's name, which CodeBuild
//!   resolves only for a role at the root path (`/`): a role with another `Path` needs its
//!   ARN (`Fn::GetAtt Role.Arn`).

use stackwright_template::{Json, Template};

use crate::finding::Finding;
use crate::json::{is_dynamic, property, resource, resources_of};

/// `CreateDBInstance`'s `Engine` values (RDS API reference).
const ENGINES: [&str; 24] = [
    "aurora",
    "aurora-mysql",
    "aurora-postgresql",
    "custom-oracle-ee",
    "custom-oracle-ee-cdb",
    "custom-oracle-se2",
    "custom-oracle-se2-cdb",
    "custom-sqlserver-dev",
    "custom-sqlserver-ee",
    "custom-sqlserver-se",
    "custom-sqlserver-web",
    "db2-ae",
    "db2-se",
    "mariadb",
    "mysql",
    "oracle-ee",
    "oracle-ee-cdb",
    "oracle-se2",
    "oracle-se2-cdb",
    "postgres",
    "sqlserver-ee",
    "sqlserver-ex",
    "sqlserver-se",
    "sqlserver-web",
];

pub(crate) fn check(template: &Template, out: &mut Vec<Finding>) {
    for (id, distribution, at) in resources_of(template, "AWS::CloudFront::Distribution") {
        let Some(Json::Array(aliases)) = property(distribution, &["DistributionConfig", "Aliases"]) else { continue };
        for (i, alias) in aliases.iter().enumerate() {
            if let Json::String(name) = alias
                && !is_host_name(name)
                && !is_dynamic(name)
            {
                let message = format!(
                    "alias {name:?} is not a domain name (labels of letters, digits and inner hyphens; `*` first)"
                );
                out.push(
                    Finding::new("cloudfront/alias", format!("{at}/DistributionConfig/Aliases/{i}"), message)
                        .about(id.as_str()),
                );
            }
        }
    }
    for (id, instance, at) in resources_of(template, "AWS::RDS::DBInstance") {
        if let Some(Json::String(engine)) = property(instance, &["Engine"])
            && !ENGINES.iter().any(|known| known.eq_ignore_ascii_case(engine))
            && !is_dynamic(engine)
        {
            let message = format!("Engine {engine:?} is not an RDS engine; expected one of {}", ENGINES.join(", "));
            out.push(Finding::new("rds/engine", format!("{at}/Engine"), message).about(id.as_str()));
        }
    }
    for (id, project, at) in resources_of(template, "AWS::CodeBuild::Project") {
        let Some(Json::String(role_id)) = property(project, &["ServiceRole"]).and_then(|r| r.get("Ref")) else {
            continue;
        };
        let Some(role) = resource(template, role_id).filter(|r| r.type_name == "AWS::IAM::Role") else { continue };
        if let Some(Json::String(path)) = role.properties.get("Path")
            && path != "/"
        {
            let message = format!(
                "Ref {role_id:?} gives the role's name, and the role has Path {path:?}: CodeBuild cannot find it by name; \
                 expected {{\"Fn::GetAtt\": [{role_id:?}, \"Arn\"]}}"
            );
            out.push(
                Finding::new("codebuild/service-role-path", format!("{at}/ServiceRole"), message).about(id.as_str()),
            );
        }
    }
}

/// A domain name: dot-separated labels of 1 to 63 letters, digits and inner hyphens, at least
/// two, the first possibly `*`, the last at least two characters.
fn is_host_name(name: &str) -> bool {
    let labels: Vec<&str> = name.split('.').collect();
    labels.len() >= 2
        && labels.last().is_some_and(|tld| tld.len() >= 2)
        && labels.iter().enumerate().all(|(i, label)| {
            (i == 0 && *label == "*")
                || (!label.is_empty()
                    && label.len() <= 63
                    && !label.starts_with('-')
                    && !label.ends_with('-')
                    && label.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-'))
        })
}

#[cfg(test)]
mod tests {
    use serde_json::{Value, json};

    fn rules(type_name: &str, properties: &Value, extra: Value) -> Vec<(&'static str, String)> {
        let mut resources = json!({"R": {"Type": type_name, "Properties": properties}});
        if let (Some(all), Value::Object(more)) = (resources.as_object_mut(), extra) {
            all.extend(more);
        }
        crate::validate_source(&json!({"Resources": resources}).to_string())
            .findings
            .into_iter()
            .filter(|f| ["cloudfront/", "rds/", "codebuild/service"].iter().any(|p| f.rule.starts_with(p)))
            .map(|f| (f.rule, f.pointer))
            .collect()
    }

    #[test]
    fn host_names() {
        assert!(super::is_host_name("example.com"));
        assert!(super::is_host_name("*.example.com"));
        assert!(!super::is_host_name("-example.com"));
        assert!(!super::is_host_name("example"));
        assert!(!super::is_host_name("a..com"));
    }

    #[test]
    fn aliases_engines_and_role_paths() {
        let distribution =
            json!({"DistributionConfig": {"Enabled": true, "Aliases": ["ok.example.com", "-bad.example.com"]}});
        assert_eq!(
            rules("AWS::CloudFront::Distribution", &distribution, json!({})),
            [("cloudfront/alias", "/Resources/R/Properties/DistributionConfig/Aliases/1".to_owned())]
        );
        let db = |engine: &str| json!({"Engine": engine, "DBInstanceClass": "db.t3.micro"});
        assert_eq!(
            rules("AWS::RDS::DBInstance", &db("bad-ee"), json!({})),
            [("rds/engine", "/Resources/R/Properties/Engine".to_owned())]
        );
        assert_eq!(rules("AWS::RDS::DBInstance", &db("Postgres"), json!({})), []);
        let resolved = json!({"DistributionConfig": {"Enabled": true, "Aliases": ["{{resolve:ssm:/env/fqdn}}"]}});
        assert_eq!(rules("AWS::CloudFront::Distribution", &resolved, json!({})), []);
        let role = |path: &str| {
            json!({"Role": {"Type": "AWS::IAM::Role", "Properties": {"Path": path, "AssumeRolePolicyDocument":
            {"Statement": [{"Effect": "Allow", "Principal": {"Service": "codebuild.amazonaws.com"}, "Action": "sts:AssumeRole"}]}}}})
        };
        let project = json!({"ServiceRole": {"Ref": "Role"}});
        assert_eq!(
            rules("AWS::CodeBuild::Project", &project, role("/ci/")),
            [("codebuild/service-role-path", "/Resources/R/Properties/ServiceRole".to_owned())]
        );
        assert_eq!(rules("AWS::CodeBuild::Project", &project, role("/")), []);
    }
}
