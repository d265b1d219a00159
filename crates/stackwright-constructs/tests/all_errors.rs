//! Every mistake in one run: constructs record the rules their props break on the stack and
//! go on, and `Stack::finish` reports them all, sorted, each with its construct path.

use stackwright_constructs::ecr::{Repository, RepositoryProps};
use stackwright_constructs::kms::{Key, KeyProps};
use stackwright_constructs::patterns::{SeedPipeline, SeedPipelineProps, Source};
use stackwright_constructs::sns::{Topic, TopicProps};
use stackwright_constructs::{ConstructPath, Error, Stack};

fn errors(stack: Stack) -> Vec<String> {
    let err = stack.finish().unwrap_err();
    assert!(matches!(err, Error::Invalid(_)), "{err:?}");
    err.to_string().lines().map(str::to_owned).collect()
}

#[test]
fn three_independent_mistakes_are_reported_together() {
    let mut stack = Stack::new("shop").unwrap();
    // Each construct returns its handle despite its mistake, so the next ones are built.
    let key = Key::new(&mut stack, "Key", KeyProps::new().pending_window_days(3)).unwrap();
    Topic::new(&mut stack, "Alerts", &key, TopicProps::new().email("not an email")).unwrap();
    Repository::new(&mut stack, "Images", &key, RepositoryProps::new().name("Shop_Web")).unwrap();
    assert_eq!(stack.violations().len(), 3);
    assert_eq!(
        errors(stack),
        [
            "Alerts: an email subscription needs an address like `name@example.com`, got \"not an email\" [sns-topic/email]",
            "Images: name must be 2-256 characters of lowercase components (a-z 0-9 joined by . _ __ or -) separated by /, got \"Shop_Web\" [ecr-repository/name]",
            "Key: pending_window_days must be 7..=30, got 3 [kms-key/pending-window]",
        ]
    );
}

#[test]
fn three_mistakes_in_the_seed_pattern_its_hooks_included_are_reported_together() {
    let mut stack = Stack::new("shop").unwrap();
    let props = SeedPipelineProps::new("shop-web", Source::github("shop-github", "example-org/shop-web", "main"))
        .health_check_path("/health check")
        .build_hook(|build| build.timeout_minutes(1))
        .runtime_hook(|runtime| runtime.service_hook(|service| service.desired_count(1).maximum_percent(100)));
    SeedPipeline::new(&mut stack, "Shop", props).unwrap();
    let errors = errors(stack);
    let rules: Vec<&str> = errors.iter().map(|line| line.rsplit_once(" [").map_or("", |(_, rule)| rule)).collect();
    assert_eq!(
        rules,
        ["pattern/health-check-path]", "codebuild-project/timeout]", "ecs-service/deployment-cannot-progress]"],
        "{errors:#?}"
    );
    assert!(errors[0].starts_with("Shop: health_check_path must start with `/`"), "{errors:#?}");
    assert!(errors[1].starts_with("Shop/Build: timeout_minutes must be 5..=2160, got 1"), "{errors:#?}");
    assert!(errors[2].starts_with("Shop/Web/Service: with desired_count 1"), "{errors:#?}");
}

#[test]
fn a_long_list_is_capped_with_a_count_of_the_rest() {
    let mut stack = Stack::new("shop").unwrap();
    for i in 0..57 {
        Key::new(&mut stack, ConstructPath::root(format!("Key{i:02}")), KeyProps::new().pending_window_days(1))
            .unwrap();
    }
    let errors = errors(stack);
    assert_eq!(errors.len(), 51);
    assert_eq!(errors[0], "Key00: pending_window_days must be 7..=30, got 1 [kms-key/pending-window]");
    assert_eq!(errors[49], "Key49: pending_window_days must be 7..=30, got 1 [kms-key/pending-window]");
    assert_eq!(errors[50], "… and 7 more broken rules (57 in all)");
}

#[test]
fn a_structural_stop_still_lists_the_mistakes_before_it() {
    use stackwright_constructs::ec2::{Vpc, VpcProps};
    let mut stack = Stack::new("shop").unwrap();
    let key = Key::new(&mut stack, "Key", KeyProps::new().pending_window_days(3)).unwrap();
    // A block that does not parse leaves nothing of the VPC to build: it stops at once.
    let err = Vpc::new(&mut stack, "Net", &key, VpcProps::new().cidr("10.0.0/16")).unwrap_err();
    assert_eq!(
        err.to_string(),
        "Key: pending_window_days must be 7..=30, got 3 [kms-key/pending-window]\n\
         Net: cidr must be an IPv4 block `a.b.c.d/n` with no host bit set, got \"10.0.0/16\" [vpc/cidr-syntax]"
    );
}

#[test]
fn mistakes_in_several_stacks_are_reported_together_under_their_stack_names() {
    let stack = |name: &str, window: u8| {
        let mut stack = Stack::new(name).unwrap();
        Key::new(&mut stack, "Key", KeyProps::new().pending_window_days(window)).unwrap();
        stack
    };
    let err = Stack::finish_all([stack("web", 3), stack("api", 7), stack("admin", 40)]).unwrap_err();
    assert_eq!(
        err.to_string(),
        "admin/Key: pending_window_days must be 7..=30, got 40 [kms-key/pending-window]\n\
         web/Key: pending_window_days must be 7..=30, got 3 [kms-key/pending-window]"
    );
    let app = Stack::finish_all([stack("web", 7), stack("api", 30)]).unwrap();
    let names: Vec<String> = app.finished_stacks().map(|(name, _)| name.to_string()).collect();
    assert_eq!(names, ["api", "web"]);
    let twice = Stack::finish_all([stack("web", 7), stack("web", 7)]).unwrap_err();
    assert!(twice.to_string().starts_with("duplicate stack name \"web\""), "{twice}");
}

#[test]
fn a_clean_stack_finishes() {
    let mut stack = Stack::new("shop").unwrap();
    let key = Key::new(&mut stack, "Key", KeyProps::new()).unwrap();
    Topic::new(&mut stack, "Alerts", &key, TopicProps::new().email("oncall@example.com")).unwrap();
    assert!(stack.violations().is_empty());
    assert!(stack.finish().is_ok());
}
