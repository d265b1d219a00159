#!/usr/bin/env python3
"""Writes crates/stackwright-validate/src/formats.tsv: where the registry schemas of cfn-lint's
us-east-1 providers declare the EC2 identifier formats CloudFormation's requests fail on
(`AWS::EC2::VPC.Id`, `SecurityGroup.Id`, `Subnet.Id`, `Image.Id`).

`registry.bin` drops the `format` keyword (crates/stackwright-registry/src/vendor.rs), so the
places are listed apart: one line per `type<TAB>path<TAB>format`, the path from `Properties`
with `*` for a list's items. Usage (the pinned cfn-lint's sdist or wheel, unpacked):

    python3 schemas/formats.py path/to/cfnlint > crates/stackwright-validate/src/formats.tsv

With `cidr` after the path it lists the CIDR formats (`ipv4-network`, `ipv6-network`) instead,
for crates/stackwright-validate/src/cidrs.tsv:

    python3 schemas/formats.py path/to/cfnlint cidr > crates/stackwright-validate/src/cidrs.tsv
"""
import json
import pathlib
import sys

FORMATS = {"AWS::EC2::VPC.Id", "AWS::EC2::SecurityGroup.Id", "AWS::EC2::Subnet.Id", "AWS::EC2::Image.Id"}
CIDR_FORMATS = {"ipv4-network", "ipv6-network"}


def walk(doc, node, path, seen, out, formats=FORMATS):
    if not isinstance(node, dict) or len(path) > 12:
        return
    ref = node.get("$ref")
    if isinstance(ref, str) and ref.startswith("#/"):
        if ref in seen:
            return
        target = doc
        for part in ref[2:].split("/"):
            target = target.get(part, {}) if isinstance(target, dict) else {}
        walk(doc, target, path, seen | {ref}, out, formats)
        return
    if node.get("format") in formats:
        out.add(("/".join(path), node["format"]))
    for name, sub in (node.get("properties") or {}).items():
        walk(doc, sub, path + [name], seen, out, formats)
    items = node.get("items")
    if isinstance(items, dict):
        walk(doc, items, path + ["*"], seen, out, formats)
    for key in ("oneOf", "anyOf", "allOf"):
        for sub in node.get(key) or []:
            walk(doc, sub, path, seen, out, formats)


def main(root, formats=FORMATS):
    schemas = pathlib.Path(root) / "data" / "schemas"
    providers = json.loads((schemas / "providers" / "us-east-1.json").read_text())
    rows = set()
    for type_name, digest in sorted(providers.items()):
        doc = json.loads((schemas / "resources" / f"{digest}.json").read_text())
        found = set()
        walk(doc, doc, [], frozenset(), found, formats)
        rows.update((type_name, path, fmt) for path, fmt in found if path)
    for row in sorted(rows):
        print("\t".join(row))


if __name__ == "__main__":
    main(sys.argv[1], CIDR_FORMATS if sys.argv[2:] == ["cidr"] else FORMATS)
