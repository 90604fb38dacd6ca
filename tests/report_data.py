#!/usr/bin/env python3
"""dmasim report against dmasim matrix (issue 19), without a browser.

For each topology and policy, the page's matrix table (cell text, data-map,
data-dist, the nvidia-smi code) and the details data embedded in the page
(m, d, smi of every cell) must equal `dmasim matrix --json --all --style
nvidia --policy P`: the `ctrl: auto` ACS words derived for that policy (as
pci_enable_acs(), drivers/pci/pci.c, sets them), SYS across sockets.  The
tree marks derived ACS words and names the policy they are for.

Usage: report_data.py DMASIM SOURCE_DIR WORKDIR
"""
import json
import os
import re
import subprocess
import sys

dmasim, src, work = sys.argv[1:4]
os.makedirs(work, exist_ok=True)
fails = []

CASES = [
    ("tests/data/report/acs-auto-sockets.yaml", ["linux-5.15", "linux-6.12", "linux-4.20"]),
    ("tests/data/fabric/two_sockets.yaml", ["linux-6.12"]),
    ("topologies/x86_64/skylake-plx.yaml", ["linux-5.15", "linux-6.12"]),
]


def matrix(topo, pol):
    # --all: the report keeps host-bridge functions among the endpoints
    out = subprocess.run([dmasim, "matrix", "--json", "--all", "--style", "nvidia", "--policy", pol, topo],
                         check=True, capture_output=True, text=True).stdout
    return json.loads(out)


for rel, pols in CASES:
    topo = os.path.join(src, rel)
    page = os.path.join(work, os.path.basename(rel) + ".html")
    args = [dmasim, "report", topo, "-o", page]
    for p in pols:
        args += ["--policy", p]
    r = subprocess.run(args, capture_output=True, text=True)
    if r.returncode != 0:
        fails.append(f"{rel}: report exits {r.returncode}: {r.stderr}")
        continue
    html = open(page, encoding="utf-8").read()
    data = json.loads(re.search(r'<script type="application/json" id="data-0">(.*?)</script>',
                                html, re.S).group(1))
    tables = re.findall(r'<table class="mx".*?</table>', html, re.S)
    if len(tables) != len(pols):
        fails.append(f"{rel}: {len(tables)} matrices for {len(pols)} policies")
        continue
    grids = []
    for k, pol in enumerate(pols):
        want = matrix(topo, pol)
        n = len(want["endpoints"])
        cells = re.findall(r'<td class="[a-z]" data-map="([a-z_]+)" data-dist="(-?\d+)">'
                           r'<span class="k">[A-Z0-9]+</span><span class="s">([A-Z]+)</span></td>',
                           tables[k])
        got_html = [[cells[i * n + j] for j in range(n)] for i in range(n)] if len(cells) == n * n else None
        pd = data["policies"][k]
        for i in range(n):
            for j in range(n):
                w = (want["map_type"][i][j], str(want["distance"][i][j]), want["link"][i][j])
                if got_html is None or got_html[i][j] != w:
                    fails.append(f"{rel} {pol} [{i}][{j}]: table {got_html and got_html[i][j]}, matrix {w}")
                c = pd["cells"][i * n + j]
                if (c["m"], str(c["d"]), c["smi"]) != w:
                    fails.append(f"{rel} {pol} [{i}][{j}]: data {(c['m'], c['d'], c['smi'])}, matrix {w}")
        grids.append(want["map_type"])
    if rel.endswith("acs-auto-sockets.yaml"):
        # the policies' own ACS words: linux-5.15 and linux-6.12 disagree on gpu0 -> gpu1
        if grids[0][0][1] == grids[1][0][1]:
            fails.append(f"{rel}: linux-5.15 and linux-6.12 agree on gpu0/gpu1 ({grids[0][0][1]})")
        if "SYS" not in html:
            fails.append(f"{rel}: no SYS code across sockets")
        texts = re.findall(r"<text[^>]*>([^<]*)</text>", html)
        derived = [t for t in texts if t.startswith("ACS ctrl") and "(derived)" in t]
        written = [t for t in texts if t.startswith("ACS ctrl") and "(derived)" not in t]
        notes = [t for t in texts if "ctrl: auto, as linux-5.15 sets it" in t]
        if len(derived) != 3 or len(written) != 1 or len(notes) != 3:
            fails.append(f"{rel}: tree ACS lines derived {derived}, written {written}, notes {notes}")


# The section "What changes between policies" against `dmasim diff --json`:
# the same pairs (no device with itself), the same changes, map type,
# distance and verdict (the bus-offset sign fixed in linux-6.12 turns
# altra-smmu's BUS4 unsound into BUS4 sound).
DIFF_CASES = [
    ("topologies/arm64/altra-smmu.yaml", "linux-5.15", "linux-6.12"),
    ("topologies/x86_64/skylake-plx.yaml", "linux-4.20", "linux-6.12"),
]


def cell_state(text, vattr):
    k = text.strip().split(" ")[0]
    m = re.fullmatch(r"(BUS|HB|NS)(\d*)", k)
    return (m.group(1), int(m.group(2)) if m.group(2) else -1, vattr or None) if m else (k, None, None)


def want_state(s):
    kind = {"bus_addr": "BUS", "thru_host_bridge": "HB", "not_supported": "NS"}[s["map_type"]]
    return (kind, s["distance"], s["verdict"])


def diff_json(topo, old, new, *extra):
    out = subprocess.run([dmasim, "diff", "--json", *extra, "--policy", old, "--policy", new, topo],
                         check=True, capture_output=True, text=True).stdout
    return json.loads(out)["topologies"][0]


for rel, old, new in DIFF_CASES:
    topo = os.path.join(src, rel)
    page = os.path.join(work, os.path.basename(rel) + "-diff.html")
    r = subprocess.run([dmasim, "report", topo, "--policy", old, "--policy", new, "-o", page],
                       capture_output=True, text=True)
    if r.returncode != 0:
        fails.append(f"{rel}: report exits {r.returncode}: {r.stderr}")
        continue
    html = open(page, encoding="utf-8").read()
    data = json.loads(re.search(r'<script type="application/json" id="data-0">(.*?)</script>',
                                html, re.S).group(1))
    names = [data["devs"][e][1] for e in data["eps"]]
    n = len(names)
    # the report keeps host-bridge functions (as diff --all); these machines have none
    want = diff_json(topo, old, new, "--all")
    if diff_json(topo, old, new)["changes"] != want["changes"]:
        fails.append(f"{rel}: diff and diff --all disagree; the comparison needs a machine without host-bridge functions")
    wchanges = sorted((c["initiator"], c["target"], want_state(c["old"]), want_state(c["new"]))
                      for c in want["changes"])
    if not wchanges:
        fails.append(f"{rel}: dmasim diff finds no change (the test proves nothing)")
    summary = re.search(r'<p class="summary">(\d+) of (\d+) pairs? changes? ', html)
    got_sum = (int(summary.group(1)), int(summary.group(2))) if summary else None
    if got_sum != (want["changed"], want["pairs"]):
        fails.append(f"{rel}: summary says {got_sum} (changed, pairs), dmasim diff {(want['changed'], want['pairs'])}")
    table = re.search(r'<table class="mx diff".*?</table>', html, re.S)
    cells = re.findall(r'<td class="([^"]*)"([^>]*)>(.*?)</td>', table.group(0)) if table else []
    if len(cells) != n * n:
        fails.append(f"{rel}: diff table has {len(cells)} cells for {n} endpoints")
        continue
    got = []
    for i in range(n):          # rows: providers, the targets of dmasim diff
        for j in range(n):      # columns: clients, the initiators
            cls, attrs, body = cells[i * n + j]
            if "chg" not in cls.split():
                continue
            if i == j:
                fails.append(f"{rel}: {names[i]} changes against itself")
            a = dict(re.findall(r'data-([a-z]+)="([^"]*)"', attrs))
            texts = re.sub(r"<[^>]*>", "", body).split("\u2192" if "\u2192" in body else "&#8594;")
            if len(texts) != 2:
                fails.append(f"{rel} [{i}][{j}]: cell '{body}' is no 'OLD -> NEW'")
                continue
            o, w = cell_state(texts[0], a.get("vfrom")), cell_state(texts[1].rstrip("*"), a.get("vto"))
            if a.get("vfrom") != a.get("vto") and not (texts[0].strip().endswith(a.get("vfrom") or "")
                                                      and texts[1].strip().endswith(a.get("vto") or "")):
                fails.append(f"{rel} [{i}][{j}]: cell '{body}' does not name the verdicts that change")
            got.append((names[j], names[i], o, w))
    if sorted(got) != wchanges:
        fails.append(f"{rel}: the report's changes {sorted(got)}, dmasim diff --json {wchanges}")

for f in fails:
    print("FAIL:", f)
if not fails:
    print("report_data: every matrix and every cell's data equal dmasim matrix --style nvidia per policy; "
          "the changes between policies equal dmasim diff --json")
sys.exit(1 if fails else 0)
