#!/usr/bin/python3
"""simulate_check.py - the JSON lines of `siphb simulate` as one short line
per event, for comparison with a scenario's .expect file.

  simulate_check.py OBJECTS < output

OBJECTS: a comma-separated list of the objects to keep (health, targets,
escalation). Every input line must be one JSON object of export schema
version 1; the short forms are those of tests/policy/health_script.h:
  <t> layer <layer> <old>><new> <reason>
  <t> state <old>><new> <root layer> <reason>[ flapping][ maint]
  <t> alarm on|off <reason>        <t> maint on|off      <t> flapping on|off
  <t> switched <cause> <from key>><to key> <reason>      <t> exhausted <reason>
  <t> stage <old>><new>            <t> action <action>
  <t> autodial                     <t> blocked <gate,gate,...>     <t> resolved
"""
import json
import sys


def short(e):
    t, kind = e["t"], e["type"]
    if kind == "health.layer":
        return f"{t} layer {e['layer']} {e['old_state']}>{e['state']} {e['reason']}"
    if kind == "health.changed":
        extra = (" flapping" if e["flapping"] else "") + (" maint" if e["maintenance"] else "")
        return f"{t} state {e['old_state']}>{e['state']} {e['layer']} {e['reason']}{extra}"
    if kind == "health.alarm":
        return f"{t} alarm {'on' if e['alarm'] else 'off'} {e['reason']}"
    if kind == "health.maintenance":
        return f"{t} maint {'on' if e['maintenance'] else 'off'}"
    if kind == "health.flapping":
        return f"{t} flapping {'on' if e['flapping'] else 'off'}"
    if kind == "targets.switched":
        return f"{t} switched {e['cause']} {e['from_key']}>{e['to_key']} {e['reason']}"
    if kind == "targets.exhausted":
        return f"{t} exhausted {e['reason']}"
    if kind == "escalation.stage":
        return f"{t} stage {e['old_stage']}>{e['stage']}"
    if kind == "escalation.action":
        return f"{t} action {e['action']}"
    if kind == "escalation.autodial":
        return f"{t} autodial"
    if kind == "escalation.autodial-blocked":
        return f"{t} blocked {','.join(e['blocked'])}"
    if kind == "escalation.resolved":
        return f"{t} resolved"
    return f"{t} {kind}"


def main():
    keep = set(sys.argv[1].split(",")) if len(sys.argv) > 1 else {"health"}
    last = -1
    for n, line in enumerate(sys.stdin, 1):
        e = json.loads(line)
        if e.get("v") != 1:
            sys.exit(f"line {n}: schema version {e.get('v')}")
        if e["t"] < last:
            sys.exit(f"line {n}: out of time order")
        last = e["t"]
        if e["object"] in keep:
            print(short(e))


if __name__ == "__main__":
    main()
