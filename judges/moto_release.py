"""The release scenario of the moto judge: a release never reverts, and nothing reverts a release.

For a template with a release project (a CodeBuild project whose buildspec runs
``update-stack --use-previous-template``), after the stack was created with image A:

  1. release image B by running the release buildspec's own commands (``bash``, the real
     ``aws`` CLI pointed at moto) with an ``image-uri.txt`` naming B;
  2. apply a stack update that changes an environment variable of the container, every
     parameter ``UsePreviousValue`` (what ``aws cloudformation deploy`` does for parameters it
     is not given): the task definition must still name B;
  3. release B again: "No updates are to be performed" is a success;
  4. refuse a release of an image outside the stack's repository: the stack is untouched;
  5. release C, then do what CodePipeline's stage rollback does when the smoke test after it
     fails: run the stage's release again with the previous execution's artifact (B) — B runs,
     and the configuration change of step 2 is kept;
  6. a raw UpdateStack that leaves the image parameter out fails (it has no Default);
  7. check in the template what moto cannot run: ECS deployments (moto has none, so neither
     the circuit breaker nor alarm rollback nor CloudFormation's rollback of a failed ECS
     deployment happen here), and that the service names the task definition by Ref (moto
     does not update a resource when only a resource it refers to was replaced).

moto limits worked around, each said in the output: moto's ECS update path stores the new
revision's container definitions with the template's PascalCase keys, so DescribeTaskDefinition
omits their image; the harness reads the revision from moto's state dump
(``/moto-api/data.json``) instead.
"""

from __future__ import annotations

import copy
import json
import os
import re
import subprocess
import sys
import tempfile
import urllib.request
from pathlib import Path
from typing import Any, Callable

RELEASE_MARKER = "--use-previous-template"
IMAGE_KEY = re.compile(r"ParameterKey=([A-Za-z0-9]+),ParameterValue=")
CONFIG_VARIABLE = "STACKWRIGHT_JUDGE_CONFIG"
SCRIPT_SECONDS = 120


class ScenarioFailure(Exception):
    """The template did not keep a release as it must."""


def releases_another_stack(properties: dict[str, Any]) -> bool:
    """A promotion's release: it updates another stack through that stack's role
    (RELEASE_ROLE_ARN), not the stack that holds it."""
    variables = (properties.get("Environment") or {}).get("EnvironmentVariables") or []
    return any(isinstance(v, dict) and v.get("Name") == "RELEASE_ROLE_ARN" for v in variables)


def release_projects(template: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """(logical id, properties) of the CodeBuild projects that release by an update of their own
    stack."""
    found = []
    for lid, res in sorted((template.get("Resources") or {}).items()):
        if not isinstance(res, dict) or res.get("Type") != "AWS::CodeBuild::Project":
            continue
        spec = ((res.get("Properties") or {}).get("Source") or {}).get("BuildSpec")
        if isinstance(spec, str) and RELEASE_MARKER in spec and not releases_another_stack(res["Properties"]):
            found.append((lid, res["Properties"]))
    return found


def build_commands(buildspec: str) -> list[str]:
    import yaml  # type: ignore[import-untyped]  # PyYAML comes with cfn-lint

    spec = yaml.safe_load(buildspec)
    commands = (((spec or {}).get("phases") or {}).get("build") or {}).get("commands")
    if not isinstance(commands, list) or not commands:
        raise ScenarioFailure("the release buildspec has no build commands")
    return [str(c) for c in commands]


class Release:
    """Runs one template's release scenario against the moto server at ``endpoint``."""

    def __init__(self, original: dict[str, Any], stack_id: str, clients: dict[str, Any],
                 endpoint: str, log: Callable[[str], None]) -> None:
        self.original = original
        self.stack_id = stack_id
        self.cfn = clients["cloudformation"]
        self.ecr = clients["ecr"]
        self.clients_ecs = clients["ecs"]
        self.endpoint = endpoint
        self.log = log
        [(self.project_id, self.project)] = release_projects(original)
        self.commands = build_commands(self.project["Source"]["BuildSpec"])
        keys = IMAGE_KEY.findall("\n".join(self.commands))
        if len(keys) != 1:
            raise ScenarioFailure(f"the release buildspec sets {len(keys)} parameters, expected one: {keys}")
        self.image_parameter = keys[0]
        self.task_id, self.container = self._task_definition()
        self.env = self._environment()
        self.repository_uri = self.env["REPOSITORY_URI"]

    # -- what the template says ---------------------------------------------------------------

    def _task_definition(self) -> tuple[str, str]:
        for lid, res in sorted(self.original["Resources"].items()):
            if res.get("Type") != "AWS::ECS::TaskDefinition":
                continue
            for container in (res.get("Properties") or {}).get("ContainerDefinitions", []):
                if container.get("Image") == {"Ref": self.image_parameter}:
                    return lid, container["Name"]
        raise ScenarioFailure(f"no task definition's container image is a Ref to {self.image_parameter}")

    def _environment(self) -> dict[str, str]:
        """The release project's variables, resolved as CloudFormation would in this stack."""
        env = {}
        variables = (self.project.get("Environment") or {}).get("EnvironmentVariables") or []
        for variable in variables:
            env[variable["Name"]] = self._resolve(variable["Name"], variable["Value"])
        return env

    def _resolve(self, name: str, value: Any) -> str:
        if isinstance(value, str):
            return value
        if value == {"Ref": "AWS::StackId"}:
            return self.stack_id
        getatt = value.get("Fn::GetAtt") if isinstance(value, dict) else None
        if isinstance(getatt, list) and len(getatt) == 2 and getatt[1] == "RepositoryUri":
            physical = self.cfn.describe_stack_resource(StackName=self.stack_id, LogicalResourceId=getatt[0])
            repository = physical["StackResourceDetail"]["PhysicalResourceId"]
            return self.ecr.describe_repositories(repositoryNames=[repository])["repositories"][0]["repositoryUri"]
        raise ScenarioFailure(f"the harness cannot resolve the release's variable {name} = {json.dumps(value)}")

    # -- what moto says -----------------------------------------------------------------------

    def stack(self) -> dict[str, Any]:
        return self.cfn.describe_stacks(StackName=self.stack_id)["Stacks"][0]

    def parameters(self) -> dict[str, str]:
        return {p["ParameterKey"]: p.get("ParameterValue", "") for p in self.stack().get("Parameters", [])}

    def template_body(self) -> dict[str, Any]:
        body = self.cfn.get_template(StackName=self.stack_id)["TemplateBody"]
        return body if isinstance(body, dict) else json.loads(body)

    def revision_arn(self) -> str:
        """The task definition revision the stack's resource names."""
        return self.cfn.describe_stack_resource(StackName=self.stack_id, LogicalResourceId=self.task_id)[
            "StackResourceDetail"]["PhysicalResourceId"]

    def revision(self) -> dict[str, Any]:
        """The revision the stack names, its container's image and environment, from moto's
        state dump: moto's ECS update path keeps the template's PascalCase keys, and
        DescribeTaskDefinition then leaves their image out."""
        arn = self.revision_arn()
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
        with opener.open(f"{self.endpoint}/moto-api/data.json", timeout=30) as answer:
            state = json.load(answer)
        def pick(node: dict[str, Any], key: str) -> Any:
            # moto's create path writes camelCase keys; its update path adds the template's
            # PascalCase ones next to empty camelCase defaults: the PascalCase value wins.
            pascal = node.get(key[0].upper() + key[1:])
            return pascal if pascal is not None else node.get(key)

        for definition in state.get("ecs", {}).get("TaskDefinition", []):
            if definition.get("arn") != arn:
                continue
            for container in definition.get("container_definitions", []):
                if pick(container, "name") == self.container:
                    return {
                        "arn": arn,
                        "image": pick(container, "image"),
                        "environment": {pick(e, "name"): pick(e, "value") for e in pick(container, "environment") or []},
                    }
        raise ScenarioFailure(f"moto has no task definition {arn} with container {self.container}")

    def expect(self, what: str, ok: bool, detail: str = "") -> None:
        if not ok:
            raise ScenarioFailure(f"{what}{': ' + detail if detail else ''}")

    # -- running the release buildspec --------------------------------------------------------

    def run_release(self, image_uri: str) -> subprocess.CompletedProcess[str]:
        with tempfile.TemporaryDirectory(prefix="stackwright-release-") as work:
            Path(work, "image-uri.txt").write_text(image_uri + "\n")
            env = dict(os.environ)
            env.update(self.env)
            env.update({
                "AWS_ENDPOINT_URL": self.endpoint,
                "AWS_ACCESS_KEY_ID": "testing",
                "AWS_SECRET_ACCESS_KEY": "testing",
                "AWS_SESSION_TOKEN": "testing",
                "AWS_DEFAULT_REGION": "us-east-1",
                "AWS_REGION": "us-east-1",
                "PATH": f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}",
            })
            # CodeBuild runs the build phase's commands in order and stops at the first failure;
            # the release buildspec has one, a subshell.
            for command in self.commands:
                run = subprocess.run(["bash", "-c", command], cwd=work, env=env, capture_output=True,
                                     text=True, timeout=SCRIPT_SECONDS, check=False)
                if run.returncode != 0:
                    return run
            return run

    def release(self, image_uri: str, expect_ok: bool = True) -> subprocess.CompletedProcess[str]:
        run = self.run_release(image_uri)
        output = (run.stdout + run.stderr).strip().replace("\n", " | ")
        self.expect(f"the release of {image_uri} exited {run.returncode}", (run.returncode == 0) == expect_ok, output)
        return run

    # -- the scenario -------------------------------------------------------------------------

    def run(self) -> list[str]:
        steps: list[str] = []

        def step(text: str) -> None:
            steps.append(text)
            self.log(f"    - {text}")

        self.log(f"  release scenario: project {self.project_id} sets {self.image_parameter} "
                 f"(task definition {self.task_id}, container {self.container})")
        step(self._template_checks())
        kept = {k: v for k, v in self.parameters().items() if k != self.image_parameter}
        image_a = self.parameters()[self.image_parameter]
        # Created revisions are described in full (moto's create path converts the keys).
        first = {"arn": self.revision_arn()}
        described = self.clients_ecs.describe_task_definition(taskDefinition=first["arn"])["taskDefinition"]
        images = [c.get("image") for c in described["containerDefinitions"] if c.get("name") == self.container]
        self.expect("the first revision runs the image given at creation", images == [image_a], str(described))
        step(f"created with {self.image_parameter}={image_a}; revision {first['arn']} runs it")

        image_b = f"{self.repository_uri}:bbbbbbbbbbbb"
        before = self.template_body()
        run = self.release(image_b)
        self.expect("the release says so", f"released {image_b}" in run.stdout, run.stdout)
        params = self.parameters()
        self.expect("the release sets the image parameter", params[self.image_parameter] == image_b, str(params))
        self.expect("the release keeps every other parameter",
                    {k: v for k, v in params.items() if k != self.image_parameter} == kept, str(params))
        self.expect("the release keeps the template (--use-previous-template)", self.template_body() == before)
        released = {"arn": self.revision_arn()}
        self.expect("the release registers a new revision", released["arn"] != first["arn"], str(released))
        step(f"release B (the buildspec's commands, aws CLI): {self.image_parameter}={image_b}, "
             f"new revision {released['arn']}")

        config = copy.deepcopy(self.template_body())
        containers = config["Resources"][self.task_id]["Properties"]["ContainerDefinitions"]
        container = next(c for c in containers if c["Name"] == self.container)
        container.setdefault("Environment", []).append({"Name": CONFIG_VARIABLE, "Value": "2"})
        self.cfn.update_stack(
            StackName=self.stack_id, TemplateBody=json.dumps(config, separators=(",", ":")),
            Parameters=[{"ParameterKey": k, "UsePreviousValue": True} for k in self.parameters()],
            Capabilities=["CAPABILITY_IAM", "CAPABILITY_NAMED_IAM"])
        self.expect("the configuration update completes", self.stack()["StackStatus"] == "UPDATE_COMPLETE")
        updated = self.revision()
        self.expect("a configuration change keeps the released image",
                    updated["image"] == image_b and updated["environment"].get(CONFIG_VARIABLE) == "2"
                    and updated["arn"] != released["arn"], str(updated))
        self.expect("a configuration change keeps the image parameter",
                    self.parameters()[self.image_parameter] == image_b)
        step(f"stack update changing {CONFIG_VARIABLE}, every parameter UsePreviousValue: "
             f"{updated['arn']} still runs {image_b}")

        run = self.release(image_b)
        self.expect("a second release of the same image is a no-op", "already released" in run.stdout, run.stdout)
        self.expect("a no-op release registers nothing", self.revision_arn() == updated["arn"])
        step("release B again: 'No updates are to be performed' is a success, nothing changes")

        events = len(self.cfn.describe_stack_events(StackName=self.stack_id)["StackEvents"])
        run = self.release("public.ecr.aws/docker/library/nginx:latest", expect_ok=False)
        self.expect("a foreign image is refused", "must name an image of" in run.stderr, run.stderr)
        self.expect("a refused release does not touch the stack",
                    len(self.cfn.describe_stack_events(StackName=self.stack_id)["StackEvents"]) == events
                    and self.revision_arn() == updated["arn"])
        step("release of an image outside the stack's repository: refused before any stack update")

        image_c = f"{self.repository_uri}:cccccccccccc"
        self.release(image_c)
        self.expect("release C sets C", self.parameters()[self.image_parameter] == image_c
                    and self.revision_arn() != updated["arn"])
        self.release(image_b)
        restored = self.revision()
        self.expect("the stage rollback restores B with the configuration change",
                    restored["image"] == image_b and restored["environment"].get(CONFIG_VARIABLE) == "2",
                    str(restored))
        step(f"release C, then the stage rollback after a failed smoke test (the previous execution's "
             f"artifact released again): {restored['arn']} runs {image_b}, {CONFIG_VARIABLE} kept")

        others = [k for k in self.parameters() if k != self.image_parameter]
        if not others:
            # A stack whose network comes from imports has no other parameter: an update then
            # names none, and moto keeps every previous value, where CloudFormation refuses a
            # parameter without Default left out (checked in the template above).
            step(f"UpdateStack leaving {self.image_parameter} out: not run (no other parameter to name; "
                 f"moto keeps previous values when an update names none)")
            return steps
        try:
            self.cfn.update_stack(
                StackName=self.stack_id, UsePreviousTemplate=True,
                Parameters=[{"ParameterKey": k, "UsePreviousValue": True} for k in others],
                Capabilities=["CAPABILITY_IAM", "CAPABILITY_NAMED_IAM"])
            raise ScenarioFailure(f"an UpdateStack without {self.image_parameter} was accepted")
        except self.cfn.exceptions.ClientError as exc:
            self.expect("leaving the image parameter out names it", self.image_parameter in str(exc), str(exc))
        # Last: moto refuses it only after changing part of its model (real CloudFormation
        # validates the parameters before it changes anything), so nothing is checked after it.
        step(f"UpdateStack leaving {self.image_parameter} out: refused ({self.image_parameter} has no Default)")
        return steps

    def _template_checks(self) -> str:
        """What moto cannot run, checked in the template."""
        services = [res["Properties"] for res in self.original["Resources"].values()
                    if res.get("Type") == "AWS::ECS::Service"
                    and (res.get("Properties") or {}).get("TaskDefinition") == {"Ref": self.task_id}]
        self.expect(f"a service runs the task definition {self.task_id} by Ref", len(services) == 1)
        deployment = services[0].get("DeploymentConfiguration") or {}
        breaker = deployment.get("DeploymentCircuitBreaker") or {}
        self.expect("the service's circuit breaker rolls back",
                    breaker.get("Enable") is True and breaker.get("Rollback") is True, json.dumps(deployment))
        alarms = deployment.get("Alarms")
        if alarms and alarms.get("AlarmNames"):
            self.expect("deployment alarms roll back", alarms.get("Enable") is True and alarms.get("Rollback") is True)
        self.expect("rolling 100/200", deployment.get("MinimumHealthyPercent") == 100
                    and deployment.get("MaximumPercent") == 200, json.dumps(deployment))
        parameter = (self.original.get("Parameters") or {}).get(self.image_parameter) or {}
        self.expect(f"{self.image_parameter} has no Default", "Default" not in parameter, json.dumps(parameter))
        return ("template (moto runs no ECS deployment): the service names the task definition by Ref, "
                "100/200, circuit breaker with rollback"
                + (", alarm rollback" if alarms and alarms.get("AlarmNames") else "")
                + f"; {self.image_parameter} has no Default")


def run_scenario(original: dict[str, Any], stack_id: str, clients: dict[str, Any], endpoint: str,
                 log: Callable[[str], None]) -> dict[str, Any] | None:
    """The scenario's report, or None when the template has no release project."""
    projects = release_projects(original)
    for lid, res in sorted((original.get("Resources") or {}).items()):
        if isinstance(res, dict) and res.get("Type") == "AWS::CodeBuild::Project" \
                and releases_another_stack(res.get("Properties") or {}):
            log(f"  release scenario: {lid} releases another stack through its role: not run here")
    if not projects:
        log("  release scenario: no release project (none, or the ECS deploy action): not applicable")
        return None
    if len(projects) > 1:
        raise ScenarioFailure(f"{len(projects)} release projects; the scenario handles one")
    release = Release(original, stack_id, clients, endpoint, log)
    return {"project": release.project_id, "parameter": release.image_parameter, "steps": release.run()}
