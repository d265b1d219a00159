#!/usr/bin/env python3
"""Deploy CloudFormation templates to a local moto server: create, update, delete.

One fresh ``moto_server`` is started on 127.0.0.1 at a free port, used for every template, and
stopped (by its own process group) at the end, also on failure.

For each template the harness
  1. prepares it for moto: resource types moto has no CloudFormation model for are dropped, and
     every reference to them (Ref, Fn::GetAtt, ${...} inside Fn::Sub, DependsOn, Outputs) is
     replaced with a placeholder. Everything dropped or replaced is printed;
  2. fills parameters without a Default from moto's own state (default VPC, subnets, security
     group, an ACM certificate requested first) or with a valid-looking string;
  3. creates the stack and waits for CREATE_COMPLETE;
  4. updates it (same template plus one added Output, plus a stack tag) and waits for
     UPDATE_COMPLETE, then checks that moto applied both;
  5. when the template has a release project, runs the release scenario (moto_release.py):
     releases by the buildspec's own commands, a configuration update after a release, a
     stage rollback, and what moto cannot run checked in the template;
  6. deletes it and waits for DELETE_COMPLETE.

Templates of one synth directory whose ``manifest.json`` records dependencies between stacks
(cross-stack references) are deployed one after another in the manifest's order, each kept
until all are up so that ``Fn::ImportValue`` resolves against the exports moto holds, then
deleted in the reverse order. Stacks placed in other accounts go into moto's single account.

Exit status: 0 when every template passed, 1 when any failed, 2 on a harness/server problem.
``--report FILE`` writes a JSON report that ``cargo xtask`` reads.

Usage: moto_deploy.py [--report FILE] [--server-log FILE] TEMPLATE...
"""

from __future__ import annotations

import argparse
import copy
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import traceback
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

import moto_release

REGION = "us-east-1"
ACCOUNT_ID = "123456789012"  # moto's default account
CAPABILITIES = ["CAPABILITY_IAM", "CAPABILITY_NAMED_IAM"]
UPDATE_TAG = ("stackwright:judge", "update")
UPDATE_OUTPUT = "StackwrightJudgeUpdate"
WAIT_SECONDS = 120.0
SERVER_START_SECONDS = 30.0

# Resource types that moto (5.2.x) has no CloudFormation model for (see shared JUDGES.md).
# moto only logs them, but a Fn::GetAtt to one fails CreateStack and an Output with one makes
# moto answer HTTP 500. Any other type missing from moto's model map is dropped as well.
KNOWN_UNMODELLED = {
    "AWS::ApplicationAutoScaling::ScalableTarget",
    "AWS::ApplicationAutoScaling::ScalingPolicy",
    "AWS::CloudWatch::Alarm",
    "AWS::CodeBuild::Project",
    "AWS::CodeCommit::Repository",
    "AWS::CodePipeline::Pipeline",
    "AWS::CodeStarConnections::Connection",
    "AWS::EC2::SecurityGroupEgress",
    "AWS::Logs::MetricFilter",
    "AWS::S3::BucketPolicy",
    "AWS::SNS::Subscription",
    "AWS::SNS::TopicPolicy",
}

# moto's stack delete silently leaves some types behind (their CloudFormation model has no delete),
# and the leftovers then make the delete of what they live in fail. Type left behind -> type of the
# referenced resource that is kept (DeletionPolicy: Retain) in moto for that reason.
MOTO_DELETE_BLOCKERS = {
    # A leftover non-main route table makes DeleteVpc fail with "has dependencies".
    "AWS::EC2::RouteTable": "AWS::EC2::VPC",
}

SUB_VAR = re.compile(r"\$\{([^}!][^}]*)\}")


def log(message: str = "") -> None:
    print(message, flush=True)


class JudgeFailure(Exception):
    """A template did not pass (as opposed to a harness bug)."""


# --------------------------------------------------------------------------------------------
# moto server
# --------------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def moto_server_executable() -> str:
    candidate = Path(sys.executable).with_name("moto_server")
    if candidate.exists():
        return str(candidate)
    return "moto_server"


class MotoServer:
    """A moto_server child in its own process group, stopped by that group's id."""

    def __init__(self, log_path: Path) -> None:
        self.log_path = log_path
        self.proc: subprocess.Popen[bytes] | None = None
        self.port = 0

    def start(self) -> str:
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        last_error = "unknown"
        for _attempt in range(3):
            self.port = free_port()
            log_file = self.log_path.open("ab")
            try:
                self.proc = subprocess.Popen(
                    [moto_server_executable(), "-H", "127.0.0.1", "-p", str(self.port)],
                    stdin=subprocess.DEVNULL,
                    stdout=log_file,
                    stderr=subprocess.STDOUT,
                    start_new_session=True,
                )
            finally:
                log_file.close()
            ok, last_error = self._wait_ready()
            if ok:
                return f"http://127.0.0.1:{self.port}"
            self.stop()  # port taken between bind and listen, or the server crashed: retry
        raise RuntimeError(f"moto_server did not start: {last_error} (log: {self.log_path})")

    def _wait_ready(self) -> tuple[bool, str]:
        assert self.proc is not None
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
        deadline = time.monotonic() + SERVER_START_SECONDS
        error = "no answer"
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                return False, f"exited with status {self.proc.returncode}"
            try:
                with opener.open(f"http://127.0.0.1:{self.port}/moto-api/", timeout=2):
                    return True, ""
            except urllib.error.HTTPError:
                return True, ""  # any HTTP answer means the server is up
            except OSError as exc:
                error = str(exc)
            time.sleep(0.2)
        return False, f"no answer within {SERVER_START_SECONDS:.0f} s ({error})"

    def stop(self) -> None:
        proc, self.proc = self.proc, None
        if proc is None or proc.poll() is not None:
            return
        # start_new_session=True made the server the leader of its own group: pgid == pid.
        for sig, grace in ((signal.SIGTERM, 5.0), (signal.SIGKILL, 5.0)):
            try:
                os.killpg(proc.pid, sig)
            except ProcessLookupError:
                return
            try:
                proc.wait(timeout=grace)
                return
            except subprocess.TimeoutExpired:
                continue

    def log_tail(self, lines: int = 40) -> str:
        try:
            text = self.log_path.read_text(errors="replace").splitlines()
        except OSError:
            return ""
        # Leave out the access log of successful requests: errors and tracebacks matter.
        text = [line for line in text if not re.search(r'" [23]\d\d -$', line)]
        return "\n".join(text[-lines:])


# --------------------------------------------------------------------------------------------
# template preparation
# --------------------------------------------------------------------------------------------


def unmodelled_types(types: set[str]) -> dict[str, str]:
    """Type -> why it is dropped."""
    try:
        from moto.cloudformation.parsing import get_model_map  # type: ignore[import-untyped]

        model_map = get_model_map()
    except Exception:  # noqa: BLE001 - fall back to the documented list
        model_map = None
    result = {}
    for rtype in types:
        if rtype in KNOWN_UNMODELLED:
            result[rtype] = "no moto CloudFormation model"
        elif model_map is not None and rtype not in model_map and not rtype.startswith("Custom::"):
            result[rtype] = "not in moto's CloudFormation model map"
    return result


def placeholder(logical_id: str, rtype: str, attribute: str | None) -> str:
    parts = rtype.split("::")
    service = parts[1].lower() if len(parts) > 1 else "unknown"
    kind = parts[2].lower() if len(parts) > 2 else "resource"
    name = "stackwright-placeholder-" + re.sub(r"[^a-z0-9-]", "", logical_id.lower())
    if attribute is None or attribute in ("Name", "Id", "Ref"):
        return name
    if "arn" in attribute.lower():
        return f"arn:aws:{service}:{REGION}:{ACCOUNT_ID}:{kind}/{name}"
    if attribute.lower().endswith("url"):
        return f"https://{name}.example.com"
    return f"{name}-{attribute.lower().replace('.', '-')}"


class Preparer:
    def __init__(self, dropped: dict[str, str]) -> None:
        self.dropped = dropped  # logical id -> type
        self.notes: list[str] = []

    def note(self, where: str, what: str, value: str) -> None:
        self.notes.append(f"{where}: {what} -> {value!r}")

    def rewrite(self, node: Any, where: str) -> Any:
        if isinstance(node, list):
            return [self.rewrite(item, f"{where}/{i}") for i, item in enumerate(node)]
        if not isinstance(node, dict):
            return node
        if len(node) == 1:
            (key, value), = node.items()
            if key == "Ref" and isinstance(value, str) and value in self.dropped:
                text = placeholder(value, self.dropped[value], None)
                self.note(where, f"Ref {value}", text)
                return text
            if key == "Fn::GetAtt":
                target, attribute = split_getatt(value)
                if target in self.dropped:
                    text = placeholder(target, self.dropped[target], attribute)
                    self.note(where, f"Fn::GetAtt {target}.{attribute}", text)
                    return text
            if key == "Fn::Sub":
                return {"Fn::Sub": self.rewrite_sub(value, where)}
        return {k: self.rewrite(v, f"{where}/{k}") for k, v in node.items()}

    def rewrite_sub(self, value: Any, where: str) -> Any:
        if isinstance(value, list) and len(value) == 2 and isinstance(value[1], dict):
            text, variables = value
            variables = self.rewrite(variables, f"{where}/Fn::Sub/1")
            return [self.sub_string(text, set(variables), where), variables]
        if isinstance(value, str):
            return self.sub_string(value, set(), where)
        return self.rewrite(value, f"{where}/Fn::Sub")

    def sub_string(self, text: Any, local: set[str], where: str) -> Any:
        if not isinstance(text, str):
            return text

        def replace(match: re.Match[str]) -> str:
            expr = match.group(1).strip()
            target, _, attribute = expr.partition(".")
            if expr in local or target not in self.dropped:
                return match.group(0)
            text_value = placeholder(target, self.dropped[target], attribute or None)
            self.note(where, f"${{{expr}}} in Fn::Sub", text_value)
            return text_value

        return SUB_VAR.sub(replace, text)


def refs_in(node: Any) -> set[str]:
    """Logical ids named by Ref / Fn::GetAtt anywhere under node."""
    found: set[str] = set()
    if isinstance(node, list):
        for item in node:
            found |= refs_in(item)
    elif isinstance(node, dict):
        for key, value in node.items():
            if key == "Ref" and isinstance(value, str):
                found.add(value)
            elif key == "Fn::GetAtt":
                target, _ = split_getatt(value)
                if isinstance(target, str):
                    found.add(target)
            else:
                found |= refs_in(value)
    return found


def split_getatt(value: Any) -> tuple[Any, str]:
    if isinstance(value, str):
        target, _, attribute = value.partition(".")
        return target, attribute
    if isinstance(value, list) and len(value) == 2:
        return value[0], value[1] if isinstance(value[1], str) else "Attribute"
    return None, ""


def prepare(template: dict[str, Any], stack_name: str) -> tuple[dict[str, Any], list[str]]:
    """Return the moto-ready copy and the list of changes made (printed by the caller)."""
    template = copy.deepcopy(template)
    resources: dict[str, Any] = template.get("Resources") or {}
    types = {r.get("Type", "") for r in resources.values() if isinstance(r, dict)}
    why = unmodelled_types(types)
    dropped = {
        lid: res["Type"]
        for lid, res in resources.items()
        if isinstance(res, dict) and res.get("Type") in why
    }
    changes = [f"dropped {lid} ({rtype}): {why[rtype]}" for lid, rtype in sorted(dropped.items())]
    for lid in dropped:
        del resources[lid]

    preparer = Preparer(dropped)
    for lid, res in resources.items():
        if not isinstance(res, dict):
            continue
        depends = res.get("DependsOn")
        if depends is not None:
            as_list = [depends] if isinstance(depends, str) else list(depends)
            kept = [d for d in as_list if d not in dropped]
            for gone in (d for d in as_list if d in dropped):
                changes.append(f"Resources/{lid}/DependsOn: removed {gone}")
            if kept:
                res["DependsOn"] = kept
            else:
                del res["DependsOn"]
        for key in ("Properties", "Metadata"):
            if key in res:
                res[key] = preparer.rewrite(res[key], f"Resources/{lid}/{key}")
        # moto generates a mixed-case name for a nameless ECR repository, which ECR's own
        # naming rule rejects (real CloudFormation generates a valid one).
        if res.get("Type") == "AWS::ECR::Repository":
            props = res.setdefault("Properties", {})
            if "RepositoryName" not in props:
                name = re.sub(r"[^a-z0-9-]", "", f"{stack_name}-{lid}".lower())[:200]
                props["RepositoryName"] = name
                changes.append(
                    f"Resources/{lid}/Properties/RepositoryName: set {name!r} "
                    "(moto's generated name breaks ECR's lower-case rule)"
                )
    for lid, res in sorted(resources.items()):
        blocked_type = MOTO_DELETE_BLOCKERS.get(res.get("Type", "")) if isinstance(res, dict) else None
        if blocked_type is None:
            continue
        for target in sorted(refs_in(res.get("Properties"))):
            held = resources.get(target)
            if (
                isinstance(held, dict)
                and held.get("Type") == blocked_type
                and held.get("DeletionPolicy") != "Retain"
            ):
                held["DeletionPolicy"] = "Retain"
                changes.append(
                    f"Resources/{target}/DeletionPolicy: set Retain (moto cannot delete "
                    f"{res['Type']} {lid}, which would make deleting {blocked_type} fail)"
                )
    if "Outputs" in template:
        template["Outputs"] = preparer.rewrite(template["Outputs"], "Outputs")
    changes.extend(f"replaced {n}" for n in preparer.notes)
    return template, changes


# --------------------------------------------------------------------------------------------
# parameters
# --------------------------------------------------------------------------------------------


class MotoFacts:
    """Values from moto's own state, fetched lazily."""

    def __init__(self, session_clients: dict[str, Any]) -> None:
        self.clients = session_clients
        self._vpc: dict[str, Any] | None = None
        self._certificate: str | None = None

    def vpc(self) -> dict[str, Any]:
        if self._vpc is None:
            ec2 = self.clients["ec2"]
            vpcs = ec2.describe_vpcs(Filters=[{"Name": "isDefault", "Values": ["true"]}])["Vpcs"]
            if not vpcs:
                raise RuntimeError("moto has no default VPC")
            vpc_id = vpcs[0]["VpcId"]
            subnets = ec2.describe_subnets(Filters=[{"Name": "vpc-id", "Values": [vpc_id]}])[
                "Subnets"
            ]
            subnets.sort(key=lambda s: (s["AvailabilityZone"], s["SubnetId"]))
            groups = ec2.describe_security_groups(
                Filters=[
                    {"Name": "vpc-id", "Values": [vpc_id]},
                    {"Name": "group-name", "Values": ["default"]},
                ]
            )["SecurityGroups"]
            self._vpc = {
                "vpc": vpc_id,
                "subnets": [s["SubnetId"] for s in subnets],
                "azs": [s["AvailabilityZone"] for s in subnets],
                "security_group": groups[0]["GroupId"] if groups else "",
            }
        return self._vpc

    def certificate(self) -> str:
        if self._certificate is None:
            self._certificate = self.clients["acm"].request_certificate(
                DomainName="app.example.com", ValidationMethod="DNS"
            )["CertificateArn"]
        return self._certificate


STRING_GUESSES: list[tuple[tuple[str, ...], str]] = [
    (("email",), "ops@example.com"),
    (("branch",), "main"),
    (("repositoryname", "reponame", "fullrepository", "repository"), "example-org/example-app"),
    (("imagetag", "tag", "version"), "latest"),
    (("domain", "hostname", "host"), "app.example.com"),
    (("cidr",), "10.0.0.0/16"),
    (("connectionarn",), f"arn:aws:codestar-connections:{REGION}:{ACCOUNT_ID}:connection/"
                         "00000000-0000-0000-0000-000000000000"),
    (("topicarn",), f"arn:aws:sns:{REGION}:{ACCOUNT_ID}:stackwright-judge"),
    (("rolearn",), f"arn:aws:iam::{ACCOUNT_ID}:role/stackwright-judge"),
    (("keyarn", "kmskey"), f"arn:aws:kms:{REGION}:{ACCOUNT_ID}:key/"
                           "00000000-0000-0000-0000-000000000000"),
    (("arn",), f"arn:aws:iam::{ACCOUNT_ID}:role/stackwright-judge"),
    (("image",), "public.ecr.aws/docker/library/nginx:latest"),
    (("name",), "stackwright-judge"),
]


def fits(value: str, spec: dict[str, Any]) -> bool:
    pattern = spec.get("AllowedPattern")
    if pattern is not None and re.fullmatch(pattern, value) is None:
        return False
    if "MinLength" in spec and len(value) < int(spec["MinLength"]):
        return False
    if "MaxLength" in spec and len(value) > int(spec["MaxLength"]):
        return False
    return True


def fill_value(name: str, spec: dict[str, Any], facts: MotoFacts) -> tuple[str, str]:
    """Return (value, where it came from) for a parameter without Default."""
    ptype = spec.get("Type", "String")
    lname = name.lower()
    allowed = spec.get("AllowedValues")
    if allowed:
        return str(allowed[0]), "first AllowedValues entry"
    if ptype == "AWS::EC2::VPC::Id" or (ptype == "String" and "vpcid" in lname):
        return facts.vpc()["vpc"], "moto default VPC"
    if ptype in ("List<AWS::EC2::Subnet::Id>", "CommaDelimitedList") and "subnet" in lname:
        return ",".join(facts.vpc()["subnets"][:2]), "moto default VPC subnets"
    if ptype == "AWS::EC2::Subnet::Id" or (ptype == "String" and "subnet" in lname):
        return facts.vpc()["subnets"][0], "moto default VPC subnet"
    if ptype == "List<AWS::EC2::SecurityGroup::Id>" or (
        ptype in ("AWS::EC2::SecurityGroup::Id", "String", "CommaDelimitedList")
        and "securitygroup" in lname
    ):
        return facts.vpc()["security_group"], "moto default security group"
    if ptype == "List<AWS::EC2::AvailabilityZone::Name>":
        return ",".join(sorted(set(facts.vpc()["azs"]))[:2]), "moto default VPC zones"
    if ptype == "AWS::EC2::AvailabilityZone::Name":
        return facts.vpc()["azs"][0], "moto default VPC zone"
    if "cert" in lname:
        return facts.certificate(), "ACM certificate requested in moto"
    if ptype in ("Number", "List<Number>"):
        low = spec.get("MinValue")
        return str(low if low is not None else 1), "MinValue or 1"
    candidates = [value for keys, value in STRING_GUESSES if any(k in lname for k in keys)]
    candidates += ["stackwright-judge", "judge", "a", "1"]
    for candidate in candidates:
        if fits(candidate, spec):
            return candidate, "placeholder string"
    return candidates[0], "placeholder string (does not match AllowedPattern)"


def parameter_values(
    template: dict[str, Any], facts: MotoFacts, notes: list[str]
) -> list[dict[str, str]]:
    values = []
    for name, spec in (template.get("Parameters") or {}).items():
        ptype = str(spec.get("Type", "String"))
        if ptype.startswith("AWS::SSM::Parameter::Value<"):
            # moto resolves these from its own SSM store: put a value under the parameter's name.
            ssm_name = str(spec.get("Default") or f"/stackwright/judge/{name}")
            facts.clients["ssm"].put_parameter(
                Name=ssm_name, Value="stackwright-judge", Type="String", Overwrite=True
            )
            notes.append(f"parameter {name}: SSM parameter {ssm_name} put in moto")
            if "Default" not in spec:
                values.append({"ParameterKey": name, "ParameterValue": ssm_name})
            continue
        if "Default" in spec:
            notes.append(f"parameter {name}: keeps Default {spec['Default']!r}")
            continue
        value, source = fill_value(name, spec, facts)
        notes.append(f"parameter {name} ({ptype}) = {value!r} ({source})")
        values.append({"ParameterKey": name, "ParameterValue": value})
    return values


# --------------------------------------------------------------------------------------------
# stack lifecycle
# --------------------------------------------------------------------------------------------


def wait_for(cfn: Any, stack_id: str, goal: str) -> dict[str, Any]:
    deadline = time.monotonic() + WAIT_SECONDS
    while True:
        try:
            stack = cfn.describe_stacks(StackName=stack_id)["Stacks"][0]
        except cfn.exceptions.ClientError as exc:
            if goal == "DELETE_COMPLETE" and "does not exist" in str(exc):
                return {"StackStatus": goal}
            raise
        status = stack["StackStatus"]
        if status == goal:
            return stack
        if not status.endswith("_IN_PROGRESS") or time.monotonic() > deadline:
            reasons = failure_reasons(cfn, stack_id)
            raise JudgeFailure(f"stack is {status}, expected {goal}{reasons}")
        time.sleep(0.25)


def failure_reasons(cfn: Any, stack_id: str) -> str:
    try:
        events = cfn.describe_stack_events(StackName=stack_id)["StackEvents"]
    except Exception as exc:  # noqa: BLE001
        return f"\n    (no stack events: {exc})"
    failed = [e for e in events if "FAILED" in e.get("ResourceStatus", "")] or events[:10]
    lines = [
        f"\n    {e.get('LogicalResourceId')} {e.get('ResourceType')} {e.get('ResourceStatus')}: "
        f"{e.get('ResourceStatusReason', '')}"
        for e in failed
    ]
    return "".join(lines)


def stack_name_for(path: Path, used: set[str]) -> str:
    stem = path.name.removesuffix(".json").removesuffix(".template")
    name = re.sub(r"[^A-Za-z0-9-]", "-", stem).strip("-") or "stack"
    if not name[0].isalpha():
        name = "S-" + name
    name = name[:100]
    base, n = name, 2
    while name in used:
        name, n = f"{base}-{n}", n + 1
    used.add(name)
    return name


def deploy(
    path: Path, stack_name: str, clients: dict[str, Any], facts: MotoFacts, endpoint: str,
    keep: bool = False,
) -> dict[str, Any]:
    cfn = clients["cloudformation"]
    result: dict[str, Any] = {"path": str(path), "stack": stack_name, "ok": False, "error": None}
    started = time.monotonic()
    log(f"moto: {path} -> stack {stack_name}")
    try:
        try:
            original = json.loads(path.read_text())
        except (OSError, ValueError) as exc:
            raise JudgeFailure(f"cannot read template: {exc}") from exc
        template, changes = prepare(original, stack_name)
        result["changes"] = changes
        if changes:
            log(f"  prepared for moto ({len(changes)} change(s)):")
            for change in changes:
                log(f"    - {change}")
        else:
            log("  prepared for moto: nothing dropped or replaced")
        notes: list[str] = []
        params = parameter_values(template, facts, notes)
        for note in notes:
            log(f"  {note}")
        body = json.dumps(template, separators=(",", ":"))

        try:
            stack_id = cfn.create_stack(
                StackName=stack_name,
                TemplateBody=body,
                Parameters=params,
                Capabilities=CAPABILITIES,
            )["StackId"]
        except cfn.exceptions.ClientError as exc:
            raise JudgeFailure(f"CreateStack rejected: {exc}") from exc
        wait_for(cfn, stack_id, "CREATE_COMPLETE")
        created = cfn.list_stack_resources(StackName=stack_id)["StackResourceSummaries"]
        log(f"  create: CREATE_COMPLETE ({len(created)} resource(s) in moto)")

        # Update: the same template plus one constant Output, and a new stack tag.
        updated = copy.deepcopy(template)
        updated.setdefault("Outputs", {})[UPDATE_OUTPUT] = {
            "Description": "Added by the moto judge to exercise UpdateStack",
            "Value": "updated",
        }
        try:
            cfn.update_stack(
                StackName=stack_id,
                TemplateBody=json.dumps(updated, separators=(",", ":")),
                Parameters=[{"ParameterKey": p["ParameterKey"], "UsePreviousValue": True}
                            for p in params],
                Capabilities=CAPABILITIES,
                Tags=[{"Key": UPDATE_TAG[0], "Value": UPDATE_TAG[1]}],
            )
        except cfn.exceptions.ClientError as exc:
            raise JudgeFailure(f"UpdateStack rejected: {exc}") from exc
        stack = wait_for(cfn, stack_id, "UPDATE_COMPLETE")
        outputs = {o["OutputKey"]: o.get("OutputValue") for o in stack.get("Outputs", [])}
        tags = {t["Key"]: t["Value"] for t in stack.get("Tags", [])}
        if outputs.get(UPDATE_OUTPUT) != "updated" or tags.get(UPDATE_TAG[0]) != UPDATE_TAG[1]:
            raise JudgeFailure(
                f"update not applied: outputs={outputs} tags={tags}"
            )
        log(
            f"  update: added Output {UPDATE_OUTPUT} and stack tag "
            f"{UPDATE_TAG[0]}={UPDATE_TAG[1]} -> UPDATE_COMPLETE"
        )

        try:
            result["release"] = moto_release.run_scenario(original, stack_id, clients, endpoint, log)
        except moto_release.ScenarioFailure as exc:
            raise JudgeFailure(f"release scenario: {exc}") from exc

        if keep:
            # Its importers are created next; it is deleted after them (delete_group).
            result["stack_id"] = stack_id
        else:
            delete(cfn, stack_id)
        result["ok"] = True
    except JudgeFailure as exc:
        result["error"] = str(exc)
    except Exception as exc:  # noqa: BLE001 - any error is this template's failure
        result["error"] = f"{type(exc).__name__}: {exc}\n{traceback.format_exc()}"
    result["seconds"] = round(time.monotonic() - started, 2)
    if result["ok"]:
        log(f"  PASS ({result['seconds']} s)")
    else:
        log(f"  FAIL ({result['seconds']} s): {result['error']}")
    return result


def delete(cfn: Any, stack_id: str) -> None:
    try:
        cfn.delete_stack(StackName=stack_id)
    except cfn.exceptions.ClientError as exc:
        raise JudgeFailure(f"DeleteStack rejected: {exc}") from exc
    wait_for(cfn, stack_id, "DELETE_COMPLETE")
    log("  delete: DELETE_COMPLETE")


def ordered_groups(paths: list[Path]) -> tuple[list[list[tuple[Path, str]]], list[Path]]:
    """Templates whose synth directory's manifest.json records dependencies between stacks,
    grouped by directory in the manifest's deployment order (each stack after the stacks it
    depends on), each with its stack name from the manifest; and the other templates."""
    groups: dict[Path, list[tuple[Path, str]]] = {}
    alone: list[Path] = []
    manifests: dict[Path, Any] = {}
    for path in paths:
        manifest_path = path.parent / "manifest.json"
        if manifest_path not in manifests:
            try:
                manifests[manifest_path] = json.loads(manifest_path.read_text())
            except (OSError, ValueError):
                manifests[manifest_path] = None
        manifest = manifests[manifest_path]
        stacks = (manifest or {}).get("stacks", [])
        linked = any(s.get("dependencies") for s in stacks)
        names = {s.get("file"): s.get("name") for s in stacks}
        if linked and path.name in names:
            groups.setdefault(path.parent, []).append((path, names[path.name]))
        else:
            alone.append(path)
    ordered = []
    for directory, members in groups.items():
        order = [s.get("file") for s in manifests[directory / "manifest.json"]["stacks"]]
        members.sort(key=lambda member: order.index(member[0].name))
        ordered.append(members)
    return ordered, alone


def deploy_group(
    members: list[tuple[Path, str]], clients: dict[str, Any], facts: MotoFacts, endpoint: str
) -> list[dict[str, Any]]:
    """Creates and updates the stacks one after another in dependency order, so that each
    importer finds the exports it reads, then deletes them in the reverse order (importers
    first: CloudFormation refuses to delete an export in use). Stacks placed in other accounts
    or regions all go into moto's one account and region; their export names differ."""
    log(f"moto: {len(members)} dependent stack(s) in manifest.json's order: "
        + ", ".join(name for _, name in members))
    results = []
    for path, name in members:
        result = deploy(path, name, clients, facts, endpoint, keep=True)
        # A failed exporter fails its importers on their own (an unresolved import), by name.
        results.append(result)
    cfn = clients["cloudformation"]
    for result in reversed(results):
        stack_id = result.pop("stack_id", None)
        if stack_id is None:
            continue
        log(f"moto: delete {result['stack']}")
        try:
            delete(cfn, stack_id)
        except JudgeFailure as exc:
            result["ok"], result["error"] = False, str(exc)
    return results


def reset(endpoint: str) -> None:
    """Empties moto's state (its `/moto-api/reset` endpoint), as a fresh account would be."""
    import urllib.request

    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # never a proxy
    request = urllib.request.Request(f"{endpoint}/moto-api/reset", method="POST")
    with opener.open(request, timeout=30) as response:
        if response.status != 200:
            raise JudgeFailure(f"moto reset answered {response.status}")
    log("moto: state reset (the next app starts in an empty account)")


def make_clients(endpoint: str) -> dict[str, Any]:
    import boto3  # type: ignore[import-untyped]

    session = boto3.session.Session(
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
        aws_session_token="testing",
        region_name=REGION,
    )
    return {
        name: session.client(name, endpoint_url=endpoint)
        for name in ("cloudformation", "ec2", "acm", "ssm", "ecr", "ecs")
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("templates", nargs="+", type=Path)
    parser.add_argument("--report", type=Path, help="write a JSON report here")
    parser.add_argument("--server-log", type=Path, default=Path("moto-server.log"))
    args = parser.parse_args()

    # Only loopback traffic, never a proxy, never real credentials or metadata endpoints.
    os.environ["NO_PROXY"] = os.environ["no_proxy"] = "127.0.0.1,localhost"
    os.environ["AWS_EC2_METADATA_DISABLED"] = "true"
    os.environ["AWS_CONFIG_FILE"] = os.devnull
    os.environ["AWS_SHARED_CREDENTIALS_FILE"] = os.devnull
    # Make SIGTERM run the finally below (so the server is stopped), like SIGINT does.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))

    if args.server_log.exists():
        args.server_log.unlink()
    server = MotoServer(args.server_log)
    results: list[dict[str, Any]] = []
    status = 2
    try:
        endpoint = server.start()
        log(f"moto: server {endpoint} (pid {server.proc.pid if server.proc else '?'}, "
            f"log {args.server_log})")
        clients = make_clients(endpoint)
        facts = MotoFacts(clients)
        used: set[str] = set()
        groups, alone = ordered_groups(args.templates)
        for path in alone:
            results.append(deploy(path, stack_name_for(path, used), clients, facts, endpoint))
        for index, members in enumerate(groups):
            if index or alone:
                # Each group is one app, as if in its own account: what an earlier app kept
                # (a log group under DeletionPolicy: Retain, named after a stack both apps
                # name foundation-production) must not collide with it.
                reset(endpoint)
                facts = MotoFacts(clients)
            results.extend(deploy_group(members, clients, facts, endpoint))
        failed = [r for r in results if not r["ok"]]
        if failed:
            tail = server.log_tail()
            if tail:
                log("moto: last lines of the server log:")
                log("\n".join(f"  | {line}" for line in tail.splitlines()))
        log(f"moto: harness done: {len(results) - len(failed)} template(s) deployed, "
            f"{len(failed)} failed")
        status = 1 if failed else 0
    except Exception as exc:  # noqa: BLE001
        log(f"moto: harness error: {type(exc).__name__}: {exc}")
        traceback.print_exc()
        status = 2
    finally:
        server.stop()
        if args.report:
            args.report.parent.mkdir(parents=True, exist_ok=True)
            args.report.write_text(json.dumps({"status": status, "templates": results}, indent=2))
    return status


if __name__ == "__main__":
    sys.exit(main())
