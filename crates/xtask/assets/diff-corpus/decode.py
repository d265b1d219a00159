"""Reads every pair of a diff corpus with cfn-lint's template decoder (JSON and YAML, with
CloudFormation's short-form tags) and writes each template as plain JSON for the judge, so that
the judge reads the templates through neither tool it judges.

usage: python decode.py CORPUS_DIR OUT_DIR
  CORPUS_DIR/corpus.json lists the pairs; OUT_DIR/<id>/old.json and new.json are written, or
  OUT_DIR/<id>/error.txt naming the side and cfn-lint's parse error.
"""

import json
import os
import sys

from cfnlint.decode import decode_str


def decode(path):
    with open(path, encoding="utf-8") as handle:
        text = handle.read()
    template, matches = decode_str(text)
    if matches or template is None:
        raise ValueError("; ".join(str(match) for match in matches) or "no template")
    return template


def main():
    corpus, out = sys.argv[1], sys.argv[2]
    with open(os.path.join(corpus, "corpus.json"), encoding="utf-8") as handle:
        pairs = json.load(handle)["pairs"]
    for pair in pairs:
        source = os.path.join(corpus, "pairs", pair["id"])
        target = os.path.join(out, pair["id"])
        os.makedirs(target, exist_ok=True)
        try:
            decoded = {side: decode(os.path.join(source, pair[side])) for side in ("old", "new")}
        except Exception as err:  # noqa: BLE001 - any parse failure is reported, not raised
            with open(os.path.join(target, "error.txt"), "w", encoding="utf-8") as handle:
                handle.write(f"{err}\n")
            continue
        for side, template in decoded.items():
            with open(os.path.join(target, f"{side}.json"), "w", encoding="utf-8") as handle:
                # Dates (YAML timestamps) as their text: a template value is a string.
                json.dump(template, handle, default=str)
    print(f"decode: {len(pairs)} pair(s)")


if __name__ == "__main__":
    main()
