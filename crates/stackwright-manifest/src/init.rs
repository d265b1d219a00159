//! The commented manifest `stackwright init` writes: it synthesizes as it stands, says every
//! key it leaves at its default, and starts with the editor's schema comment.

use crate::model::{Provider, ServiceType};

/// Where `init` writes the schema, next to the manifest; the manifest's first line names it.
pub const SCHEMA_FILE: &str = "stackwright.schema.json";

/// The manifest for an app `app` with one service of `kind`, built from `provider`.
pub fn manifest(app: &str, kind: ServiceType, provider: Provider) -> String {
    let service = match kind {
        ServiceType::Web => "web",
        ServiceType::Worker => "worker",
    };
    let mut text = format!(
        "# yaml-language-server: $schema={SCHEMA_FILE}\n\
         #\n\
         # Stackwright manifest: `stackwright synth` writes out/<stack>.template.json from it,\n\
         # `stackwright validate` checks it, `stackwright schema` prints its JSON Schema.\n\
         # Every key below that is commented out shows its default.\n\
         name: {app}\n\
         services:\n  \
           - name: {service}\n    \
             type: {service}\n"
    );
    text.push_str(
        "    # stack: <app>-<name>          # the CloudFormation stack\n    \
         # cpu: 256                     # CPU units (1024 = 1 vCPU)\n    \
         # memory: 512                  # MiB; Fargate pairs each CPU size with a range\n    \
         # desired_count: 2             # or autoscaling: {min: 2, max: 6, cpu_target_percent: 70}\n    \
         # log_retention_days: 365\n    \
         # variables: {LOG_LEVEL: info}\n    \
         # secrets:\n    \
         #   DATABASE_URL: {ssm: /my-app/database-url}\n",
    );
    if kind == ServiceType::Web {
        text.push_str(
            "    # port: 8080                   # the port the application listens on\n    \
             # health_check_path: /         # the load balancer's and the smoke test's\n    \
             # efs: {mount_path: /srv/data} # an encrypted EFS file system\n",
        );
    }
    text.push_str(
        "    # networking: existing_vpc     # stack parameters VpcId, subnets; or new_vpc\n    \
         # rollout: {min_healthy_percent: 100, max_percent: 200, circuit_breaker: true}\n    \
         # image: {dockerfile: Dockerfile, context: .}\n    \
         alarms:\n      \
           notify: []                   # e-mail addresses for alarms, approvals, failures\n    \
         pipeline:\n      \
           source:\n",
    );
    match provider {
        Provider::Github => text.push_str(
            "        provider: github           # through a CodeStar connection the stack creates\n        \
             repository: my-org/my-repo   # owner/repository\n        \
             # branch: main\n        \
             # connection_arn: arn:aws:codeconnections:...   # an existing connection instead\n",
        ),
        Provider::Codecommit => text.push_str(
            "        provider: codecommit\n        \
             repository: my-repo          # created (and retained) by the stack\n        \
             # branch: main\n        \
             # create_repository: true      # false: use an existing repository\n",
        ),
    }
    text.push_str(
        "      # unit_test_command: make test  # run before the image is built\n      \
         # approval: true               # a manual approval before each release\n",
    );
    match kind {
        ServiceType::Web => {
            text.push_str("      # smoke_test: {enabled: true}  # request the health-check path after a release\n");
        }
        ServiceType::Worker => text.push_str("      # smoke_test: {command: ./smoke-test.sh}\n"),
    }
    text.push_str(
        "      # deployment_timeout_minutes: 30\n      \
         # release: cloudformation      # or ecs_deploy_action\n      \
         # on_failure: rollback         # or fail\n",
    );
    text
}

/// The app name `init` gives a directory: its name, lowercase, other characters as `-`.
pub fn app_name(directory: &str) -> String {
    let name: String =
        directory.chars().map(|c| if c.is_ascii_alphanumeric() { c.to_ascii_lowercase() } else { '-' }).collect();
    let name = name.trim_matches('-');
    if name.is_empty() || !name.starts_with(|c: char| c.is_ascii_lowercase()) {
        "app".to_owned()
    } else {
        name.chars().take(40).collect::<String>().trim_end_matches('-').to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_variant_synthesizes_as_it_stands() {
        for kind in [ServiceType::Web, ServiceType::Worker] {
            for provider in [Provider::Github, Provider::Codecommit] {
                let text = manifest("my-app", kind, provider);
                assert!(text.starts_with("# yaml-language-server: $schema="));
                let parsed = crate::parse(&text, "stackwright.yaml").unwrap();
                let app =
                    crate::synthesize(&parsed, &text, "stackwright.yaml").unwrap_or_else(|e| panic!("{e}\n{text}"));
                assert_eq!(app.finished_stacks().len(), 1);
            }
        }
    }

    #[test]
    fn app_names_come_from_the_directory() {
        assert_eq!(app_name("My Shop"), "my-shop");
        assert_eq!(app_name("2048"), "app");
        assert_eq!(app_name("___"), "app");
    }
}
