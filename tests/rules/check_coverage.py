#!/usr/bin/env python3
"""Checks that the shipped rules file serves the shipped runbooks: every alert a runbook
names (its trigger's alert, its symptoms) is an alert of the rules file with a firing and a
not-firing case in the rules' unit tests, and every recorded series a runbook reads
(`level:metric:operation`, in a trigger or a step's `metric:`) is a recording rule there.
Prints one line per gap, as runbook:alert, and exits 1 if there is one."""
import glob
import os
import re
import sys

import yaml

COMPARISON = re.compile(r"(>=|<=|==|!=|>|<)")
NAME = re.compile(r"^\s*([A-Za-z_:][A-Za-z0-9_:]*)")


def selector_name(expression):
    """The alert or metric name of a selector expression, and whether it compares."""
    without_matchers = re.sub(r"\{[^}]*\}", "", expression)
    m = NAME.match(without_matchers)
    return (m.group(1) if m else None), bool(COMPARISON.search(without_matchers))


def runbook_names(doc):
    alerts, recorded = set(), set()
    trigger = doc.get("trigger") or {}
    expressions = []
    if "alert" in trigger:
        expressions.append(str(trigger["alert"]))
    for key in ("any", "all"):
        expressions += [str(e) for e in trigger.get(key) or []]
    for e in expressions:
        name, compares = selector_name(e)
        if name and not compares:
            alerts.add(name)
        elif name and ":" in name:
            recorded.add(name)
    alerts.update(str(s) for s in doc.get("symptoms") or [])
    for step in doc.get("steps") or []:
        metric = (step.get("params") or {}).get("metric")
        if metric:
            name, _ = selector_name(str(metric))
            if name and ":" in name:
                recorded.add(name)
    return alerts, recorded


def main(runbook_dir, rules_path, tests_path):
    with open(rules_path, encoding="utf-8") as f:
        rules = [r for g in yaml.safe_load(f)["groups"] for r in g["rules"]]
    defined_alerts = {r["alert"] for r in rules if "alert" in r}
    defined_records = {r["record"] for r in rules if "record" in r}
    with open(tests_path, encoding="utf-8") as f:
        tests = yaml.safe_load(f)["tests"]
    firing, quiet = set(), set()
    for t in tests:
        for case in t.get("alert_rule_test") or []:
            (firing if case.get("exp_alerts") else quiet).add(case["alertname"])

    files = sorted(glob.glob(os.path.join(runbook_dir, "*.yaml")))
    if not files:
        print(f"no runbooks in {runbook_dir}")
        return 1
    gaps = 0
    named = 0
    for path in files:
        with open(path, encoding="utf-8") as f:
            alerts, recorded = runbook_names(yaml.safe_load(f))
        where = os.path.basename(path)
        for a in sorted(alerts):
            named += 1
            if a not in defined_alerts:
                print(f"{where}:{a}: no such alert in {rules_path}")
                gaps += 1
            if a not in firing:
                print(f"{where}:{a}: no unit test in {tests_path} where it fires")
                gaps += 1
            if a not in quiet:
                print(f"{where}:{a}: no unit test in {tests_path} where it stays quiet")
                gaps += 1
        for r in sorted(recorded):
            named += 1
            if r not in defined_records:
                print(f"{where}:{r}: no such recording rule in {rules_path}")
                gaps += 1
    if gaps:
        return 1
    print(f"{len(files)} runbooks: all {named} alerts and recorded series they name are in the rules and tested")
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 4:
        print("usage: check_coverage.py RUNBOOK_DIR RULES_FILE RULES_TEST_FILE")
        sys.exit(2)
    sys.exit(main(*sys.argv[1:]))
