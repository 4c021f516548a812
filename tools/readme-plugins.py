#!/usr/bin/env python3
"""Prints the plugin reference of docs/reference.md from `laurel plugins` (read on stdin).

    laurel-dist/target/laurel/bin/laurel plugins | tools/readme-plugins.py > /tmp/plugins.md

Its output replaces everything below the "Plugins" heading of docs/reference.md; links are
relative to docs/. The docs test (laurel-dist ReadmeTest) checks every built-in type and option
is documented there.
"""
import os
import re
import sys

kind = None
plugins = []
for line in sys.stdin:
    line = line.rstrip("\n")
    if line in ("Enrichers:", "Sinks:"):
        kind = line[:-2].lower()  # enricher / sink
        continue
    if line.startswith("Formats"):
        kind = "format"  # a sink's format:
        continue
    m = re.match(r"^  (\S+) - (.*)$", line)
    if m:
        plugins.append({"type": m.group(1), "kind": kind, "desc": m.group(2), "options": []})
        continue
    m = re.match(r"^      (\S+) \(([^,)]+)(?:, (.*))?\)$", line)
    if m and plugins:
        plugins[-1]["options"].append([m.group(1), m.group(2), m.group(3) or "", ""])
        continue
    m = re.match(r"^          (.*)$", line)
    if m and plugins and plugins[-1]["options"]:
        plugins[-1]["options"][-1][3] = m.group(1)

order = {"enricher": 0, "sink": 1, "format": 2}
for p in sorted(plugins, key=lambda p: (order.get(p["kind"], 2), p["type"])):
    print(f"### `{p['type']}`")
    print()
    doc = f"plugins/{p['type']}.md"
    docs = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "docs")
    more = f" See [{doc}]({doc})." if os.path.exists(os.path.join(docs, doc)) else ""
    kind = "Output format (a sink's `format:`)" if p["kind"] == "format" else p["kind"].capitalize()
    print(f"{kind}. {p['desc']}.{more}")
    print()
    if p["options"]:
        print("| option | type | default / required | what it does |")
        print("| --- | --- | --- | --- |")
        for name, typ, extra, desc in p["options"]:
            extra = extra.replace("default ", "")
            desc = desc.replace("|", "\\|")
            print(f"| `{name}` | {typ} | {extra} | {desc} |")
    else:
        print("No options.")
    print()
