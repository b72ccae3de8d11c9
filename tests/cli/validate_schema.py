#!/usr/bin/env python3
"""Validates runbooks against resources/schema/runbook.schema.json with a real
JSON Schema validator (python3-jsonschema, draft-07): every shipped runbook must
pass, and runbooks broken in ways the schema can see must fail."""
import copy
import glob
import json
import os
import sys

import jsonschema
import yaml


def main(schema_path, runbook_dir):
    with open(schema_path, encoding="utf-8") as f:
        schema = json.load(f)
    jsonschema.Draft7Validator.check_schema(schema)
    validator = jsonschema.Draft7Validator(schema)

    files = sorted(glob.glob(os.path.join(runbook_dir, "*.yaml")))
    if not files:
        print(f"no runbooks in {runbook_dir}")
        return 1
    failures = 0
    for path in files:
        with open(path, encoding="utf-8") as f:
            doc = yaml.safe_load(f)
        errors = list(validator.iter_errors(doc))
        for e in errors:
            print(f"{path}: {'/'.join(str(p) for p in e.absolute_path)}: {e.message}")
        failures += bool(errors)

    with open(os.path.join(runbook_dir, "connection-pool-exhaustion.yaml"), encoding="utf-8") as f:
        good = yaml.safe_load(f)
    broken = {
        "unknown top-level key": lambda d: d.update(levl=3),
        "unknown action": lambda d: d["steps"][1].update(action="terminate_connection"),
        "unknown parameter": lambda d: d["steps"][0]["params"].update(windw="5m"),
        "mutating step without blast radius": lambda d: d["steps"][1].pop("blast_radius"),
        "below and above together": lambda d: d["steps"][2]["params"].update(above="10%"),
        "never-tier action": lambda d: d["steps"][1].update(action="terminate_host"),
        "duration in words": lambda d: d.update(cooldown="5 minutes"),
        "level out of range": lambda d: d.update(level=7),
        "trigger with alert and any": lambda d: d["trigger"].update(any=["cpu > 1"]),
        "cap as a word": lambda d: d["steps"][1].update(blast_radius={"max_connections": "some"}),
    }
    for name, breaks in broken.items():
        doc = copy.deepcopy(good)
        breaks(doc)
        if validator.is_valid(doc):
            print(f"the schema accepts a runbook with: {name}")
            failures += 1
    print(f"{len(files)} runbooks valid, {len(broken)} broken variants rejected" if not failures else f"{failures} failures")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
