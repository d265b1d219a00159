use super::*;
use crate::ecr::RepositoryProps;
use crate::kms::{Key, KeyProps};
use crate::stack::Stack;

/// Builds other than releases do not depend on the template.
fn render(kind: &BuildKind, reports: &[Report]) -> Result<String, Error> {
    super::render(kind, reports, &ConstructPath::root("Build"), &Template::new())
}

fn repository() -> Repository {
    let mut stack = Stack::new("t").unwrap();
    let key = Key::new(&mut stack, "Key", KeyProps::new()).unwrap();
    Repository::new(&mut stack, "Repo", &key, RepositoryProps::new()).unwrap()
}

fn image_build() -> ImageBuild {
    ImageBuild::new(&repository(), "web")
        .dockerfile("docker/Dockerfile")
        .context("app")
        .unit_test_command("make test JUNIT_DIR='reports/unit' # all: of them")
        .build_arg("APP_VERSION", EnvValue::Plain("1.2".into()))
}

#[test]
fn image_buildspec_tags_with_the_commit_tests_first_and_writes_image_definitions() {
    let text = render(&BuildKind::Image(image_build()), &[Report::junit("unit", "reports/unit")]).unwrap();
    insta::assert_snapshot!(text, @r#"
    # Rendered by Stackwright from templates/buildspec/image.yml.hbs.
    # Builds the web image, tags it with the commit id (tags are immutable: never
    # `latest`), pushes it to $REPOSITORY_URI and writes imagedefinitions.json for the ECS deploy
    # action and image-uri.txt (the pushed image) for a release. Unit tests run on the source
    # before the image is built: they need no shell or test tools in the image, fail the build
    # before anything is pushed, and leave their JUnit reports where the reports section below
    # picks them up.
    version: 0.2

    env:
      shell: bash

    phases:
      pre_build:
        commands:
          - IMAGE_TAG="${CODEBUILD_RESOLVED_SOURCE_VERSION:0:12}"
          - test -n "$IMAGE_TAG" || { echo "no commit id to tag the image with" >&2; exit 1; }
          - IMAGE_URI="$REPOSITORY_URI:$IMAGE_TAG"
          - aws ecr get-login-password --region "$AWS_REGION" | docker login --username AWS --password-stdin "${REPOSITORY_URI%%/*}"
          - "make test JUNIT_DIR='reports/unit' # all: of them"
      build:
        commands:
          # A retried release of the same commit finds its image already pushed (a second push
          # of an immutable tag would fail): deploy that image again rather than rebuild it. Any
          # other error looking it up fails the build.
          - |
            if found=$(aws ecr describe-images --repository-name "${REPOSITORY_URI#*/}" --image-ids imageTag="$IMAGE_TAG" 2>&1); then
              echo "$IMAGE_URI is already in the repository: deploying it again"
            elif grep -q ImageNotFoundException <<<"$found"; then
              docker build --file docker/Dockerfile --tag "$IMAGE_URI" --build-arg APP_VERSION app
              docker push "$IMAGE_URI"
            else
              echo "$found" >&2
              exit 1
            fi
          - printf '[{"name":"%s","imageUri":"%s"}]' web "$IMAGE_URI" > imagedefinitions.json
          - printf '%s\n' "$IMAGE_URI" > image-uri.txt
    reports:
      unit:
        files:
          - "**/*.xml"
        base-directory: "reports/unit"
        file-format: JUNITXML
    artifacts:
      files:
        - imagedefinitions.json
        - image-uri.txt
    "#);
    assert!(!text.contains(":latest"));
}

#[test]
fn commands_buildspec_quotes_every_command() {
    let kind = BuildKind::commands(["curl -fsS \"$SERVICE_URL/health\"", "echo 'done: ok' # really"]);
    insta::assert_snapshot!(render(&kind, &[]).unwrap(), @r#"
    # Rendered by Stackwright from templates/buildspec/commands.yml.hbs: runs the project's
    # commands in order; the first one that fails fails the build.
    version: 0.2

    env:
      shell: bash

    phases:
      build:
        commands:
          - "curl -fsS \"$SERVICE_URL/health\""
          - "echo 'done: ok' # really"
    "#);
}

#[test]
fn rendering_twice_gives_the_same_bytes() {
    let kind = BuildKind::Image(image_build());
    assert_eq!(render(&kind, &[]).unwrap(), render(&kind, &[]).unwrap());
}

#[test]
fn unsafe_names_and_paths_are_rejected() {
    let mut image = ImageBuild::new(&repository(), "web app")
        .dockerfile("-f")
        .context("a b")
        .unit_test_command("  ")
        .build_arg("1X", EnvValue::Plain("v".into()));
    image.container_name.push(':');
    let mut checks = Checks::new(&"Build");
    check(
        &BuildKind::Image(image),
        &[Report::junit("unit", "out"), Report::junit("unit", "../x y"), Report::junit("a b", "out")],
        &mut checks,
    );
    assert_eq!(
        checks.finish().unwrap_err().to_string(),
        "Build: build argument name must match [A-Za-z_][A-Za-z0-9_]*, got \"1X\" [codebuild-image/build-arg]\n\
         Build: container_name must be 1-255 of A-Z a-z 0-9 _ -, got \"web app:\" [codebuild-image/container-name]\n\
         Build: context must be a relative path of A-Z a-z 0-9 . _ / - not starting with -, got \"a b\" [codebuild-image/path]\n\
         Build: dockerfile must be a relative path of A-Z a-z 0-9 . _ / - not starting with -, got \"-f\" [codebuild-image/path]\n\
         Build: unit_test_command must not be blank [codebuild-image/unit-test-command]\n\
         Build: report unit: base_directory must be a relative path of A-Z a-z 0-9 . _ / -, got \"../x y\" [codebuild-report/base-directory]\n\
         Build: report unit is defined more than once [codebuild-report/duplicate]\n\
         Build: report name must be 1-64 of A-Z a-z 0-9 _ -, got \"a b\" [codebuild-report/name]"
    );
}

#[test]
fn commands_must_not_be_empty() {
    let mut checks = Checks::new(&"Test");
    check(&BuildKind::commands(Vec::<String>::new()), &[], &mut checks);
    assert_eq!(
        checks.finish().unwrap_err().to_string(),
        "Test: commands must be at least one non-blank command, got [] [codebuild-commands/empty]"
    );
}
