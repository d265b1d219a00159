//! The rules a pipeline's stages must follow, checked before anything is added to the stack.

use std::collections::{BTreeMap, BTreeSet};

use crate::codepipeline::Stage;
use crate::codepipeline::actions::{Action, is_name};
use crate::error::Checks;

/// Where an artifact comes from: stage index, run order, and the action that writes it.
struct Producer<'a> {
    stage: usize,
    run_order: u32,
    action: &'a Action,
}

/// Checks the stages: shape, names, artifact flow, and the deploy action's image definitions.
pub(crate) fn check(stages: &[Stage], checks: &mut Checks) {
    checks.require(stages.len() >= 2, "pipeline/stage-count", || {
        format!("a pipeline needs at least 2 stages (a source stage and one more), got {}", stages.len())
    });
    let mut stage_names = BTreeSet::new();
    let mut producers: BTreeMap<&str, Producer<'_>> = BTreeMap::new();
    for (index, stage) in stages.iter().enumerate() {
        let name = &stage.name;
        checks.require(is_name(name, ".@-_"), "pipeline/stage-name", || {
            format!("stage name must be 1-100 of A-Z a-z 0-9 . @ - _, got {name:?}")
        });
        checks.require(stage_names.insert(name.as_str()), "pipeline/duplicate-stage", || {
            format!("stage {name} is defined more than once")
        });
        checks.require((1..=50).contains(&stage.actions.len()), "pipeline/stage-actions", || {
            format!("stage {name} must hold 1 to 50 actions, got {}", stage.actions.len())
        });
        if index == 0 {
            checks.require(stage.actions.iter().all(Action::is_source), "pipeline/first-stage-source", || {
                format!("stage {name} is the first stage and may only hold source actions")
            });
            checks.require(!stage.rolls_back(), "pipeline/source-rollback", || {
                format!("stage {name} is the source stage and cannot roll back")
            });
        }
        let mut action_names = BTreeSet::new();
        for action in &stage.actions {
            let action_name = action.name();
            checks.require(is_name(action_name, ".@-_"), "pipeline/action-name", || {
                format!("stage {name}: action name must be 1-100 of A-Z a-z 0-9 . @ - _, got {action_name:?}")
            });
            checks.require(action_names.insert(action_name), "pipeline/duplicate-action", || {
                format!("stage {name}: action {action_name} is defined more than once")
            });
            checks.require(index == 0 || !action.is_source(), "pipeline/source-outside-first", || {
                format!("stage {name}: source action {action_name} must be in the first stage")
            });
            checks.require((1..=999).contains(&action.run_order()), "pipeline/run-order", || {
                format!("stage {name}: action {action_name} run order must be 1..=999, got {}", action.run_order())
            });
            action.check(checks);
        }
        // Inputs are looked up before this stage's outputs are recorded, then within the stage
        // by run order: an action can only read what finished before it started.
        for action in &stage.actions {
            for input in action.inputs() {
                let available = producers.get(input).is_some_and(|p| p.stage < index)
                    || stage
                        .actions
                        .iter()
                        .any(|other| other.run_order() < action.run_order() && other.outputs().contains(&input));
                checks.require(available, "pipeline/unknown-input", || {
                    format!(
                        "stage {name}: action {} reads artifact {input:?}, which no earlier action writes",
                        action.name()
                    )
                });
            }
        }
        for action in &stage.actions {
            for output in action.outputs() {
                checks.require(is_name(output, "-_"), "pipeline/artifact-name", || {
                    format!("stage {name}: artifact name must be 1-100 of A-Z a-z 0-9 - _, got {output:?}")
                });
                let first = producers.insert(output, Producer { stage: index, run_order: action.run_order(), action });
                checks.require(first.is_none(), "pipeline/duplicate-output", || {
                    format!("stage {name}: artifact {output:?} is written by more than one action")
                });
            }
        }
        for action in &stage.actions {
            match action {
                Action::EcsDeploy(deploy) => check_image_definitions(name, deploy, &producers, index, checks),
                Action::CodeBuild(build) => check_release_input(name, build, &producers, index, checks),
                _ => {}
            }
        }
    }
}

/// The deploy action's input must come from an image build writing `imagedefinitions.json`
/// for the same container.
fn check_image_definitions(
    stage: &str,
    deploy: &crate::codepipeline::EcsDeploy,
    producers: &BTreeMap<&str, Producer<'_>>,
    index: usize,
    checks: &mut Checks,
) {
    let Some(producer) = producers.get(deploy.input.as_str()) else { return };
    if producer.stage == index && producer.run_order >= deploy.run_order {
        return; // reported as pipeline/unknown-input
    }
    let written = match producer.action {
        Action::CodeBuild(build) => build.project.image_definitions_container(),
        _ => None,
    };
    match written {
        None => checks.fail(
            "ecs-deploy/image-definitions",
            format!(
                "stage {stage}: action {} deploys artifact {:?}, but action {} does not write imagedefinitions.json (only an image build does)",
                deploy.name,
                deploy.input,
                producer.action.name()
            ),
        ),
        Some(container) => checks.require(container == deploy.container_name, "ecs-deploy/container-name", || {
            format!(
                "stage {stage}: action {} deploys container {:?}, but action {} writes imagedefinitions.json for container {container:?}",
                deploy.name,
                deploy.container_name,
                producer.action.name()
            )
        }),
    }
}

/// A release's input must come from an image build (which writes `image-uri.txt`) pushing to
/// the repository the release releases from.
fn check_release_input(
    stage: &str,
    release: &crate::codepipeline::CodeBuildAction,
    producers: &BTreeMap<&str, Producer<'_>>,
    index: usize,
    checks: &mut Checks,
) {
    let Some(releases_from) = release.project.releases_from() else { return };
    let Some(producer) = producers.get(release.input.as_str()) else { return };
    if producer.stage == index && producer.run_order >= release.run_order {
        return; // reported as pipeline/unknown-input
    }
    let pushes_to = match producer.action {
        Action::CodeBuild(build) => build.project.pushes_to(),
        _ => None,
    };
    match pushes_to {
        None => checks.fail(
            "codebuild-action/release-input",
            format!(
                "stage {stage}: action {} releases artifact {:?}, but action {} does not write image-uri.txt (only an image build does)",
                release.name,
                release.input,
                producer.action.name()
            ),
        ),
        Some(repository) => checks.require(repository == releases_from, "codebuild-action/release-repository", || {
            format!(
                "stage {stage}: action {} releases images of {}, but action {} pushes to {}",
                release.name,
                releases_from.to_json(),
                producer.action.name(),
                repository.to_json()
            )
        }),
    }
}
