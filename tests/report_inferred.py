#!/usr/bin/env python3
"""dmasim report marks the values a topology marks inferred (docs/report.md,
"Inferred values"), without a browser.

- The tree: every key an object lists in `inferred:` (as `dmasim show
  --json` gives them) is named by a line of that object's box, in
  <g class="il" data-inferred="..."> with a <title>, the line ending in
  "(inferred: ...)"; keys the tree does not draw get a line "values not
  drawn here".
- Each matrix: the cells marked '*' are exactly those `dmasim matrix --json
  --all` marks inferred, and the list below the matrix names each value with
  its count as matrix's "inferred_values".
- The diff between policies changes the pairs `dmasim diff --all --json`
  changes and marks '*' those whose "depends_on_inferred" it fills (either
  answer, its mapping or its landing, rests on an inferred value), and
  counts them in its summary.
- The details data: a cell's "depends_on_inferred" equals `dmasim map --p2p
  --json` when the provider offers p2pmem; otherwise it begins with `dmasim
  p2p --json`'s (the raw route may add more).
- A machine that marks nothing (skylake-plx) has no mark at all.

Usage: report_inferred.py DMASIM SOURCE_DIR WORKDIR
"""
import html as htmllib
import json
import os
import re
import subprocess
import sys

dmasim, src, work = sys.argv[1:4]
os.makedirs(work, exist_ok=True)
fails = []


def fail(msg):
    fails.append(msg)


def run(*args, check=True):
    p = subprocess.run([dmasim] + list(args), capture_output=True, text=True)
    if check and p.returncode not in (0, 1):
        raise RuntimeError("%s: exit %d: %s" % (" ".join(args), p.returncode, p.stderr))
    return p


def run_json(*args):
    return json.loads(run(*args).stdout)


def report(name, topo, pols):
    page = os.path.join(work, name + ".html")
    args = ["report", topo, "-o", page]
    for p in pols:
        args += ["--policy", p]
    r = run(*args)
    if r.returncode != 0:
        fail("%s: report exits %d: %s" % (name, r.returncode, r.stderr))
    return open(page, encoding="utf-8").read()


def boxes(page):
    """id -> (class, bdf, [(data-inferred keys, title, text)], [texts])"""
    out = {}
    for m in re.finditer(r'<g class="node ([a-z ]+)" id="(t0-[a-z0-9-]+)"([^>]*)>(.*?)</g>\n',
                         page, re.S):
        cls, bid, attrs, body = m.groups()
        bdf = re.search(r'data-bdf="([^"]*)"', attrs)
        marked = []
        for g in re.finditer(r'<g class="il" data-inferred="([^"]*)"><title>([^<]*)</title>'
                             r'<text[^>]*>([^<]*)</text></g>', body):
            marked.append((g.group(1).split(", "), htmllib.unescape(g.group(2)),
                           htmllib.unescape(g.group(3))))
        texts = [htmllib.unescape(t) for t in re.findall(r"<text[^>]*>([^<]*)</text>", body)]
        out[bid] = (cls.split(), bdf.group(1) if bdf else None, marked, texts)
    return out


def walk(devs):
    for d in devs:
        yield d
        yield from walk(d.get("children", []))


def want_boxes(show):
    """box id -> the set of keys the object and the objects drawn in its box mark."""
    want = {"t0-m": set(show.get("inferred", []))}
    for u in show.get("iommus", []):
        want["t0-m"] |= set(u.get("inferred", []))
    bdf_keys = {}
    for i, h in enumerate(show["host_bridges"]):
        k = set(h.get("inferred", []))
        for w in h.get("windows", []):
            k |= set(w.get("inferred", []))
        want["t0-h%d" % i] = k
        for d in walk(h.get("devices", [])):
            k = set(d.get("inferred", []))
            for b in d.get("bars", []):
                k |= set(b.get("inferred", []))
            bdf_keys[d["bdf"]] = k
    return want, bdf_keys


def check_tree(name, topo, page):
    show = run_json("show", "--json", topo)
    want, bdf_keys = want_boxes(show)
    got = boxes(page)
    if len(got) != 1 + len(show["host_bridges"]) + len(bdf_keys):
        fail("%s: %d boxes in the tree" % (name, len(got)))
    for bid, (cls, bdf, marked, texts) in got.items():
        w = bdf_keys.get(bdf, set()) if bdf else want.get(bid, set())
        keys = set(k for m in marked for k in m[0])
        if keys != w:
            fail("%s: box %s (%s) marks %s, the topology %s" % (name, bid, bdf, sorted(keys), sorted(w)))
        if ("inf" in cls) != bool(w):
            fail("%s: box %s has classes %s" % (name, bid, cls))
        for keylist, title, text in marked:
            if not text.endswith("(inferred: %s)" % ", ".join(keylist)):
                fail("%s: box %s line '%s' does not end in its keys %s" % (name, bid, text, keylist))
            if not title.startswith("Inferred: %s." % ", ".join(keylist)) or "guessed" not in title:
                fail("%s: box %s line '%s' has the title '%s'" % (name, bid, text, title))
        unmarked = [t for t in texts if "(inferred:" in t and t not in [m[2] for m in marked]]
        if unmarked:
            fail("%s: box %s: lines say inferred outside a mark: %s" % (name, bid, unmarked))
    return got


def matrices(page):
    return re.findall(r'(<table class="mx" role="grid".*?</table></div>\n)'
                      r'((?:<div class="inferred">.*?</div>\n)?)', page, re.S)


def check_matrices(name, topo, page, pols):
    tables = matrices(page)
    if len(tables) != len(pols):
        fail("%s: %d matrices for %d policies" % (name, len(tables), len(pols)))
        return {}
    mats = {}
    for (table, listing), pol in zip(tables, pols):
        want = run_json("matrix", "--json", "--all", "--policy", pol, topo)
        mats[pol] = want
        n = len(want["endpoints"])
        winf = want.get("inferred", [[False] * n for _ in range(n)])
        cells = re.findall(r'<td class="[a-z]( inf)?" data-map="[a-z_]+" data-dist="-?\d+">'
                           r'<span class="k">[A-Z0-9]+</span><span class="s">[A-Z]+</span>'
                           r'(<span class="i" title="[^"]*">\*</span>)?</td>', table)
        if len(cells) != n * n:
            fail("%s %s: %d cells for %d endpoints" % (name, pol, len(cells), n))
            continue
        for i in range(n):
            for j in range(n):
                cls, star = cells[i * n + j]
                if bool(cls) != winf[i][j] or bool(star) != winf[i][j]:
                    fail("%s %s [%d][%d]: class '%s' star '%s', matrix --json inferred %s"
                         % (name, pol, i, j, cls, star, winf[i][j]))
        ninf = sum(map(sum, winf))
        values = [(htmllib.unescape(v), int(c)) for v, c in re.findall(
            r'<li><span class="v">([^<]*)</span>: <span class="c">(\d+)</span> cells?</li>', listing)]
        wvalues = [(v["value"], v["cells"]) for v in want.get("inferred_values", [])]
        if values != wvalues:
            fail("%s %s: list below the matrix %s, matrix --json %s" % (name, pol, values, wvalues))
        head = re.search(r'<span class="ninf">(\d+)</span> of (\d+) cells', listing)
        got_head = (int(head.group(1)), int(head.group(2))) if head else None
        if got_head != ((ninf, n * n) if ninf else None):
            fail("%s %s: list head %s, expected %d of %d" % (name, pol, got_head, ninf, n * n))
    return mats


def check_diff(name, topo, page, pols, mats):
    eps = mats[pols[0]]["endpoints"]
    n = len(eps)
    summaries = re.findall(r'<p class="summary">([^\n]*)</p>', page)
    tables = re.findall(r'<table class="mx diff".*?</table>', page, re.S)
    ti = 0
    for k, pol in enumerate(pols[1:]):
        # the pairs `dmasim diff --all` changes, '*' where it names inferred values
        dj = run_json("diff", "--json", "--all", "--policy", pols[0], "--policy", pol, topo)["topologies"][0]
        want = [[None] * n for _ in range(n)]
        for c in dj["changes"]:
            want[eps.index(c["target"])][eps.index(c["initiator"])] = bool(c.get("depends_on_inferred"))
        nwant = sum(1 for row in want for w in row if w)
        if nwant != dj["changed_inferred"]:
            fail("%s diff %s: %d changes name inferred values, changed_inferred %d"
                 % (name, pol, nwant, dj["changed_inferred"]))
        said = re.search(r"; (\d+) of them, marked \*, rest on values the topology marks inferred",
                         summaries[k])
        if (int(said.group(1)) if said else 0) != nwant:
            fail("%s diff %s: summary '%s', %d changes rest on inferred values" % (name, pol, summaries[k], nwant))
        if not dj["changed"]:
            continue
        cells = re.findall(r'<td class="([^"]*)"[^>]*>(.*?)</td>', tables[ti])
        ti += 1
        for i in range(n):
            for j in range(n):
                cls, body = cells[i * n + j]
                changed = "chg" in cls.split()
                marked = "inf" in cls.split() and body.endswith('">*</span>')
                if changed != (want[i][j] is not None) or marked != bool(want[i][j]):
                    fail("%s diff %s [%d][%d]: changed %s marked %s, dmasim diff %s"
                         % (name, pol, i, j, changed, marked, want[i][j]))


def check_details(name, topo, page, pols, mats):
    data = json.loads(re.search(r'<script type="application/json" id="data-0">(.*?)</script>',
                                page, re.S).group(1))
    eps = mats[pols[0]]["endpoints"]
    n = len(eps)
    withp = 0
    for k, pol in enumerate(pols):
        cells = data["policies"][k]["cells"]
        for i in range(n):
            p2p = run_json("p2p", "--json", topo, "--provider", eps[i], *eps, "--policy", pol)
            for j in range(n):
                got = cells[i * n + j].get("depends_on_inferred", [])
                if p2p["provider"]["p2pmem"]:
                    mp = run_json("map", "--p2p", "--json", topo, eps[i], eps[j], "--policy", pol)
                    want = mp.get("depends_on_inferred", [])
                    if got != want:
                        fail("%s %s %s->%s: details %s, map --p2p %s" % (name, pol, eps[i], eps[j], got, want))
                else:
                    want = p2p["clients"][j].get("depends_on_inferred", [])
                    if got[:len(want)] != want:
                        fail("%s %s %s->%s: details %s, p2p %s" % (name, pol, eps[i], eps[j], got, want))
                withp += bool(got)
    return withp


def inferred_case(name, topo, pols):
    page = report(name, topo, pols)
    got = check_tree(name, topo, page)
    mats = check_matrices(name, topo, page, pols)
    if len(mats) == len(pols):
        if len(pols) > 1:
            check_diff(name, topo, page, pols, mats)
        if not check_details(name, topo, page, pols, mats):
            fail("%s: no cell's details depend on inferred values" % name)
    return page, got, mats


# 1. sysfs of a QEMU machine with two host bridges: root_complex and buses
#    inferred on both, the p2p routing of either under many cells
x = os.path.join(work, "pxbmf-none-intel.yaml")
run("import", "sysfs", os.path.join(src, "tests/data/kernel/linux-6.12/pxbmf-none-intel"), "-o", x)
page, got, mats = inferred_case("pxbmf", x, ["seed-2018", "linux-6.12"])
rc = [t for b in got.values() for _, _, t in b[2] if t.startswith("root complex P2P:")]
if rc != ["root complex P2P: none (inferred: root_complex)"] * 2:
    fail("pxbmf: root complex lines %s" % rc)
if 'class="note inferred-note"' not in page or '<span class="i">*</span> the map type rests' not in page:
    fail("pxbmf: no note on the marks above the tree, or no '*' in the legend")
if not any(mats[p].get("inferred_values") for p in mats):
    fail("pxbmf: matrix --json names no inferred value (the test proves nothing)")

# 2. lspci with --p2pmem: arch, ram, windows, BAR sizes and p2pmem too; the
#    details of p2pmem providers against map --p2p
small = os.path.join(work, "small.yaml")
run("import", "lspci", "--p2pmem", "all-mem", os.path.join(src, "tests/data/import/small.dump"), "-o", small)
page, got, mats = inferred_case("small", small, ["seed-2018", "linux-6.12"])
texts = [t for b in got.values() for _, _, t in b[2]]
for want in ("(inferred: arch)", "(inferred: ram)", "(inferred: kind, cpu, bus, size)",
             "(inferred: size, p2pmem)"):
    if not any(t.endswith(want) for t in texts):
        fail("small: no tree line ends in %s: %s" % (want, texts))

# 3. a hand-written file marking every kind of mapping, keys the tree does
#    not draw among them
allk = os.path.join(src, "tests/data/report/inferred-all.yaml")
page, got, mats = inferred_case("all", allk, ["linux-6.12"])
lines = {bid: [t for _, _, t in b[2]] for bid, b in got.items()}
for bid, want in (("t0-m", ["x86_64, intel family 0x6 (inferred: arch)",
                            "RAM 0x0 2G (inferred: ram)",
                            "IOMMU dmar0: intel-vtd, 48-bit, dma (inferred: type, address_bits)",
                            "  this IOMMU: values not drawn here (inferred: reserved)",
                            "values not drawn here (inferred: msi)"]),
                  ("t0-h0", ["segment 0000, buses 00-7f (inferred: buses)",
                             "root complex P2P: any (inferred: root_complex)",
                             "mem  cpu 0xc0000000 bus 0xc0000000 256M (inferred: kind, cpu, size)",
                             "values not drawn here (inferred: numa_node)"]),
                  ("t0-d0", ["root port [ffff:ffff] (inferred: type)"]),
                  ("t0-d1", ["BAR0 0xc0000000 1M 32-bit pref p2pmem (inferred: size, p2pmem)",
                             "values not drawn here (inferred: dma_mask, class)"]),
                  ("t0-d2", []), ("t0-d3", [])):
    if lines.get(bid) != want:
        fail("all: box %s marks %s, expected %s" % (bid, lines.get(bid), want))

# 4. nothing inferred, nothing marked (each mark is on small's page)
def body_of(page):
    # the page's own stylesheet and script name the marks
    return re.sub(r"<style>.*?</style>", "", page.split("<script>")[0], flags=re.S)


small_body = body_of(report("small-again", small, ["seed-2018", "linux-6.12"]))
sky = os.path.join(src, "topologies/x86_64/skylake-plx.yaml")
body = body_of(report("skylake", sky, ["linux-5.15", "linux-6.12"]))
for mark in ('class="il"', ' inf"', 'class="i"', 'class="inferred"', "(inferred:",
             "inferred-note", "depends_on_inferred", "marks inferred"):
    if mark not in small_body:
        fail("small: the page lacks '%s'" % mark)
    if mark in body:
        fail("skylake-plx: the page carries '%s'" % mark)

# counts in the fabric summary agree in number: small has one host bridge
if "<p>1 host bridge, 6 devices, 3 endpoints.</p>" not in small_body:
    fail("small: fabric summary: %s" % re.findall(r"<p>[0-9]+ host bridge[^<]*</p>", small_body))
if not re.search(r"<p>1 host bridge, [1-9][0-9]+ devices, [2-9] endpoints.</p>", body):
    fail("skylake-plx: fabric summary: %s" % re.findall(r"<p>[0-9]+ host bridge[^<]*</p>", body))

for f in fails:
    print("FAIL:", f)
if not fails:
    print("report_inferred: the tree, the matrices, the diff and the details mark inferred values "
          "as show, matrix, map and p2p name them; skylake-plx has none")
sys.exit(1 if fails else 0)
