#!/usr/bin/env python3
"""dmasim report in a real browser (Debian's chromium, headless, driven over
the DevTools protocol by cdp.py).

  report_browser.py DMASIM WORKDIR cells TOPOLOGY
      Every cell of every policy's matrix in the DOM (map type, distance,
      text) equals `dmasim matrix --json`; a real mouse click on every cell
      opens a panel whose warnings equal `dmasim p2p --verbose --json`,
      whose DMA address and hops equal `dmasim map --p2p --json` and, where
      no IOMMU translation is involved, `dmasim route --json` from the
      client to that address; the cells marked '*' are those `dmasim matrix
      --json` marks inferred, and the panel's "Depends on inferred" list
      equals `dmasim map --p2p --json`'s (a provider with p2pmem) or starts
      with `dmasim p2p --json`'s; the diff tables mark exactly the pairs
      `dmasim diff --all --json` changes (map type and verdict), and their
      summaries count its pairs; no console error, no exception, no network
      request but the page itself.

  report_browser.py DMASIM WORKDIR imported SRCDIR
      cells on tests/data/import/small.dump as `dmasim import lspci
      --p2pmem all-mem` imports it (values marked inferred; some cell must
      be marked '*').

  report_browser.py DMASIM WORKDIR features SRCDIR [SCREENSHOT.png]
      On topologies/x86_64/skylake-plx.yaml: keyboard navigation, the
      nvidia-smi code toggle, the device filter, the route highlighted in
      the tree, suite results against `dmasim check --json`, and the page
      with JavaScript off (tree and matrices there, no panel).  Writes the
      screenshot of a clicked cell when asked (docs/report.png is one).
"""
import json
import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import cdp  # noqa: E402

POLICIES = ["seed-2018", "linux-4.20", "linux-5.15", "linux-6.12"]
failures = []


def check(cond, msg):
    if not cond:
        failures.append(msg)
        print("FAIL: " + msg)


def run_json(dmasim, *args):
    p = subprocess.run([dmasim] + list(args), stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, text=True)
    if p.returncode == 2:
        raise RuntimeError("%s: exit 2: %s" % (" ".join(args), p.stderr))
    return json.loads(p.stdout)


def cell_text(mt, d):
    if mt == "not_supported":
        return "NS"
    k = "BUS" if mt == "bus_addr" else "HB"
    return k if d < 0 else "%s%d" % (k, d)


def make_report(dmasim, work, name, args):
    out = os.path.join(work, name + ".html")
    p = subprocess.run([dmasim, "report"] + args + ["-o", out],
                       stderr=subprocess.PIPE, text=True)
    if p.returncode not in (0, 1):
        raise RuntimeError("dmasim report exits %d: %s" % (p.returncode, p.stderr))
    return out, "file://" + os.path.abspath(out)


DOM_MATRICES = """(function () {
  return Array.prototype.map.call(document.querySelectorAll('table.mx:not(.diff)'), function (t) {
    return { policy: t.dataset.policy,
      eps: Array.prototype.slice.call(t.tHead.rows[0].cells, 1).map(function (c) { return c.textContent; }),
      cells: Array.prototype.map.call(t.tBodies[0].rows, function (r) {
        return Array.prototype.slice.call(r.cells, 1).map(function (c) {
          return [c.dataset.map, +c.dataset.dist, c.querySelector('.k').textContent,
                  c.querySelector('.s').textContent, c.className,
                  c.querySelector('.i') !== null && c.classList.contains('inf') &&
                  c.textContent.slice(-1) === '*']; }); }) };
  });
})()"""

CELL_RECT = """(function (p, i, j) {
  var d = document.getElementById('details'); d.hidden = true;
  var t = document.querySelectorAll('table.mx:not(.diff)')[p];
  var c = t.tBodies[0].rows[i].cells[j + 1];
  c.scrollIntoView({block: 'center', inline: 'center'});
  var r = c.getBoundingClientRect();
  return [r.left + r.width / 2, r.top + r.height / 2];
})(%d, %d, %d)"""

PANEL = """(function () {
  var d = document.getElementById('details');
  if (d.hidden) return null;
  var q = function (s) { var e = d.querySelector(s); return e ? e.textContent : null; };
  var dd = function (sel) { var e = d.querySelector(sel); return e ? e : null; };
  var w = d.querySelector('dd.warn pre');
  return { title: q('h2'), map: dd('dd[data-map]') ? dd('dd[data-map]').dataset.map : null,
    dma: q('dd.dma'), warn: w ? w.textContent.split('\\n') : [],
    inferred: Array.prototype.map.call(d.querySelectorAll('dd.inf li'), function (li) { return li.textContent; }),
    hops: Array.prototype.map.call(d.querySelectorAll('table.hops tbody tr'), function (r) {
      return { action: r.dataset.action, bdf: r.dataset.bdf || null, name: r.dataset.name || null,
               host_bridge: r.dataset.hostBridge === undefined ? null : r.dataset.hostBridge,
               addr: r.dataset.addr, addr_out: r.dataset.addrOut }; }),
    lit: Array.prototype.map.call(document.querySelectorAll('svg.tree g.hl'), function (g) { return g.id; }),
    sel: document.querySelector('td.sel') !== null };
})()"""

DOM_DIFFS = """(function () {
  return Array.prototype.map.call(document.querySelectorAll('.diffs'), function (s) {
    return { summaries: Array.prototype.map.call(s.querySelectorAll('p.summary'), function (p) { return p.textContent; }),
      tables: Array.prototype.map.call(s.querySelectorAll('table.diff'), function (t) {
        return Array.prototype.map.call(t.tBodies[0].rows, function (r) {
          return Array.prototype.slice.call(r.cells, 1).map(function (c) {
            return c.classList.contains('chg') ? [c.dataset.from, c.dataset.to, c.dataset.vfrom, c.dataset.vto] : null; }); }); }) };
  })[0] || null;
})()"""


def route_hops(hops):
    out = []
    for h in hops:
        out.append({"action": h["action"], "bdf": h.get("bdf"), "name": h.get("name"),
                    "host_bridge": h.get("host_bridge") if "bdf" not in h else None,
                    "addr": h["addr"], "addr_out": h["addr_out"]})
    return out


def click_cell(b, p, i, j):
    x, y = b.eval(CELL_RECT % (p, i, j))
    b.click(x, y)
    return b.eval(PANEL)


def test_cells(dmasim, work, topo):
    name = os.path.basename(topo)[:-5]
    args = [topo]
    for p in POLICIES:
        args += ["--policy", p]
    path, url = make_report(dmasim, work, "cells-" + name, args)
    # --all: the report keeps host-bridge functions (class 0x0600) among the endpoints
    mats = {p: run_json(dmasim, "matrix", "--json", "--all", "--policy", p, topo) for p in POLICIES}
    b = cdp.Browser(cdp.find_chromium())
    clicked = routed = inferred = 0
    try:
        b.open_page()
        b.navigate(url)
        dom = b.eval(DOM_MATRICES)
        check(len(dom) == len(POLICIES), "%s: %d matrices" % (name, len(dom)))
        for pi, (pol, t) in enumerate(zip(POLICIES, dom)):
            want = mats[pol]
            check(t["policy"] == pol, "%s: matrix %d is %s" % (name, pi, t["policy"]))
            check(t["eps"] == want["endpoints"], "%s %s: endpoints %s != %s"
                  % (name, pol, t["eps"], want["endpoints"]))
            n = len(want["endpoints"])
            for i in range(n):
                for j in range(n):
                    mt, d = want["map_type"][i][j], want["distance"][i][j]
                    got = t["cells"][i][j]
                    check(got[0] == mt and got[1] == d and got[2] == cell_text(mt, d),
                          "%s %s cell (%d,%d): DOM %s, matrix --json %s %d"
                          % (name, pol, i, j, got[:3], mt, d))
                    check((got[3] == "X") == (i == j), "%s %s (%d,%d): code %s"
                          % (name, pol, i, j, got[3]))
                    winf = want["inferred"][i][j] if "inferred" in want else False
                    check(got[5] == winf, "%s %s (%d,%d): marked '*' %s, matrix --json inferred %s"
                          % (name, pol, i, j, got[5], winf))
                    inferred += winf
            eps = want["endpoints"]
            for i in range(n):
                for j in range(n):
                    panel = click_cell(b, pi, i, j)
                    clicked += 1
                    where = "%s %s %s->%s" % (name, pol, eps[i], eps[j])
                    if panel is None:
                        check(False, where + ": the click opened no panel")
                        continue
                    check(panel["map"] == want["map_type"][i][j],
                          "%s: panel says %s" % (where, panel["map"]))
                    p2p = run_json(dmasim, "p2p", topo, "--provider", eps[i], eps[j],
                                   "--policy", pol, "--verbose", "--json")
                    check(panel["warn"] == p2p["warnings"], "%s: warnings %s != p2p %s"
                          % (where, panel["warn"], p2p["warnings"]))
                    pinf = p2p["clients"][0].get("depends_on_inferred", [])
                    check(panel["inferred"][:len(pinf)] == pinf, "%s: inferred %s, p2p %s"
                          % (where, panel["inferred"], pinf))
                    if p2p["provider"]["p2pmem"]:
                        mp = run_json(dmasim, "map", "--p2p", "--json", topo, eps[i], eps[j],
                                      "--policy", pol)
                        minf = mp.get("depends_on_inferred", [])
                        check(panel["inferred"] == minf, "%s: inferred %s, map --p2p %s"
                              % (where, panel["inferred"], minf))
                        want_dma = mp["dma_addr"] if mp["dma_addr"] else \
                            "DMA_MAPPING_ERROR (%s)" % mp["reason"]
                        check(panel["dma"] == want_dma, "%s: DMA address %s != map %s"
                              % (where, panel["dma"], want_dma))
                        check(panel["hops"] == route_hops(mp.get("hops", [])),
                              "%s: hops %s != map --p2p %s" % (where, panel["hops"], mp.get("hops")))
                        addr = mp["dma_addr"] if mp["path"] != "iommu" else None
                    else:
                        addr = panel["dma"].split(" at bus address ")[1].split(" ")[0] \
                            if panel["dma"] else None
                        check(addr is not None or not panel["hops"],
                              where + ": hops without an address")
                    if addr:
                        rt = run_json(dmasim, "route", "--json", topo, eps[j], addr)
                        check(panel["hops"] == route_hops(rt["hops"]),
                              "%s: hops %s != route --json %s" % (where, panel["hops"], rt["hops"]))
                        routed += 1
                    if panel["hops"]:
                        check(len(panel["lit"]) >= 2, where + ": no route lit in the tree")
        # the diff tables: policy 0 against each other one, as `dmasim diff
        # --all --json` (the report keeps host-bridge functions): its
        # changes, with map type and verdict, and its count of pairs
        diffs = b.eval(DOM_DIFFS)
        check(diffs is not None, name + ": no diff section")
        if diffs:
            eps = mats[POLICIES[0]]["endpoints"]
            n = len(eps)
            ti = 0
            for k, pol in enumerate(POLICIES[1:]):
                dj = run_json(dmasim, "diff", "--json", "--all", "--policy", POLICIES[0],
                              "--policy", pol, topo)["topologies"][0]
                want = {}
                for c in dj["changes"]:
                    want[(eps.index(c["target"]), eps.index(c["initiator"]))] = \
                        [c["old"]["map_type"], c["new"]["map_type"],
                         c["old"]["verdict"] or "", c["new"]["verdict"] or ""]
                summary = diffs["summaries"][k]
                check(re.match(r"%d of %d pairs? changes? " % (dj["changed"], dj["pairs"]), summary) is not None,
                      "%s %s: summary '%s', dmasim diff %d of %d pairs" % (name, pol, summary, dj["changed"], dj["pairs"]))
                if not dj["changed"]:
                    continue
                table = diffs["tables"][ti]
                ti += 1
                for i in range(n):
                    for j in range(n):
                        check(table[i][j] == want.get((i, j)), "%s diff %s (%d,%d): %s != %s"
                              % (name, pol, i, j, table[i][j], want.get((i, j))))
        probs = b.problems([url])
        check(not probs, "%s: %s" % (name, probs))
    finally:
        b.close()
    print("%s: %d cells clicked in %d matrices, %d routes compared with dmasim route, %d marked '*'"
          % (name, clicked, len(POLICIES), routed, inferred))
    return inferred


def test_imported(dmasim, work, src):
    topo = os.path.join(work, "small.yaml")
    subprocess.run([dmasim, "import", "lspci", "--p2pmem", "all-mem",
                    os.path.join(src, "tests/data/import/small.dump"), "-o", topo], check=True)
    check(test_cells(dmasim, work, topo) > 0, "small.yaml: no cell marked '*'")


def test_features(dmasim, work, src, shot):
    topo = os.path.join(src, "topologies/x86_64/skylake-plx.yaml")
    suites = [os.path.join(src, "topologies/x86_64", s) for s in
              ("skylake-plx.suite.yaml", "xeon-e5v3.suite.yaml")]
    args = [topo, "--policy", "linux-5.15", "--policy", "linux-6.12"]
    for s in suites:
        args += ["--suite", s]
    path, url = make_report(dmasim, work, "features", args)
    eps = run_json(dmasim, "matrix", "--json", topo)["endpoints"]
    b = cdp.Browser(cdp.find_chromium())
    try:
        b.open_page()
        b.navigate(url)
        # keyboard: Tab into the first matrix, arrows, Enter
        b.eval("document.querySelector('input.filter').focus()")
        b.key("Tab", vk=9)
        focus = b.eval("(function(){var a=document.activeElement;return a.tagName+' '+a.cellIndex+' '+a.parentNode.sectionRowIndex;})()")
        check(focus == "TD 1 0", "Tab from the filter focuses the first cell, not %s" % focus)
        b.key("ArrowRight", vk=39)
        b.key("ArrowRight", vk=39)
        b.key("ArrowDown", vk=40)
        focus = b.eval("(function(){var a=document.activeElement;return [a.cellIndex, a.parentNode.sectionRowIndex, a.getAttribute('aria-label')];})()")
        check(focus[:2] == [3, 1], "arrows move the focus to (1,2), not %s" % focus)
        check(focus[2] and focus[2].startswith("provider %s, client %s: " % (eps[1], eps[2])),
              "the focused cell's label says %s" % focus[2])
        b.key("Enter", vk=13)
        panel = b.eval(PANEL)
        check(panel and panel["title"].startswith(eps[1] + " (") and
              (" \u2192 " + eps[2] + " (") in panel["title"],
              "Enter shows the focused cell: %s" % (panel and panel["title"]))
        b.key("Escape", vk=27)
        check(b.eval(PANEL) is None, "Escape closes the panel")
        # text equivalents of the colours: every cell has text, the legend names them
        check(b.eval("Array.prototype.every.call(document.querySelectorAll('table.mx td'), function(c){return c.textContent.trim().length>0;})"),
              "every cell has text")
        check(b.eval("document.querySelector('.legend').textContent.indexOf('not_supported') >= 0"),
              "the legend explains the colours")
        # the nvidia-smi toggle (CSS only)
        b.eval("document.querySelector('label[for=codes-0]').click()")
        shown = b.eval("Array.prototype.map.call(document.querySelector('table.mx').tBodies[0].rows, function(r){return Array.prototype.slice.call(r.cells,1).map(function(c){return c.innerText;});})")
        gi, ni, vi = eps.index("gpu0"), eps.index("nic0"), eps.index("nvme0")
        check(shown[gi][gi] == "X" and shown[gi][eps.index("gpu1")] == "PIX" and
              shown[gi][ni] == "PHB" and shown[vi][gi] == "PIX",
              "nvidia-smi codes shown: %s" % shown)
        b.eval("document.querySelector('label[for=codes-0]').click()")
        # the device filter
        b.eval("document.querySelector('input.filter').focus()")
        b.send("Input.insertText", {"text": "gpu"})
        vis = b.eval("Array.prototype.filter.call(document.querySelector('table.mx').tBodies[0].rows, function(r){return r.offsetParent!==null;}).map(function(r){return r.cells[0].textContent;})")
        check(vis == ["gpu0", "gpu1"], "filter 'gpu' keeps rows %s" % vis)
        cols = b.eval("Array.prototype.filter.call(document.querySelector('table.mx').tHead.rows[0].cells, function(c){return c.offsetParent!==null;}).length")
        check(cols == 3, "filter 'gpu' keeps %d header cells, expected 3" % cols)
        b.eval("var f=document.querySelector('input.filter'); f.value=''; f.dispatchEvent(new Event('input'))")
        # a route lit in the tree: nvme0's memory for gpu0 (p2pmem, bus_addr)
        panel = click_cell(b, 1, vi, gi)
        mp = run_json(dmasim, "map", "--p2p", "--json", topo, "nvme0", "gpu0")
        lit = sorted(panel["lit"]) if panel else []
        ids = b.eval("(function(){var D=JSON.parse(document.getElementById('data-0').textContent);"
                     "return D.devs.map(function(d){return d[1];});})()")
        want = sorted(["t0-d%d" % ids.index(h["name"]) for h in mp["hops"]] +
                      ["t0-d%d" % ids.index("gpu0")])
        check(lit == sorted(set(want)), "tree highlights %s, expected %s" % (lit, want))
        if shot:
            b.screenshot(shot)
        # suites: pass/fail and file:line as dmasim check --json
        # (a suite of several policies: a row per case and policy, grouped
        # under each policy; "skip" rows for the cases not run under it)
        rows = b.eval("Array.prototype.map.call(document.querySelectorAll('table.cases tbody tr:not(.policy)'), function(r){return [r.className, r.cells[2].textContent, r.cells[4].textContent];})")
        want = []
        for s in suites:
            for obj in run_json(dmasim, "check", "--json", s)["suites"]:
                got = [(c["line"], "pass" if c["passed"] else "fail", c["name"]) for c in obj["cases"]]
                got += [(c["line"], "skip", c["name"]) for c in obj.get("not_run", [])]
                for line, cls, name in sorted(got):
                    want.append([cls, name, "%s:%d" % (s, line)])
        check(rows == want, "suite rows %s != check --json %s" % (rows[:3], want[:3]))
        probs = b.problems([url])
        check(not probs, "features: %s" % probs)
        # JavaScript off: the tree and the matrices are there, the panel is not
        b.send("Emulation.setScriptExecutionDisabled", {"value": True})
        b.navigate(url)
        static = b.eval("[document.querySelectorAll('svg.tree g.node').length, document.querySelectorAll('table.mx:not(.diff) td').length, document.getElementById('details').hidden, document.querySelectorAll('td[tabindex]').length, document.querySelector('noscript') !== null]")
        check(static[0] == 12 and static[1] == 2 * len(eps) ** 2 and static[2] and static[3] == 0,
              "without JavaScript: %s nodes, %s cells, panel hidden %s, %s cells made focusable"
              % tuple(static[:4]))
    finally:
        b.close()


def main():
    if len(sys.argv) < 5:
        print(__doc__)
        return 2
    dmasim, work, mode = sys.argv[1], sys.argv[2], sys.argv[3]
    os.makedirs(work, exist_ok=True)
    if not cdp.find_chromium():
        print("FAIL: no chromium on PATH (apt-get install chromium)")
        return 1
    if mode == "cells":
        test_cells(dmasim, work, sys.argv[4])
    elif mode == "imported":
        test_imported(dmasim, work, sys.argv[4])
    elif mode == "features":
        test_features(dmasim, work, sys.argv[4], sys.argv[5] if len(sys.argv) > 5 else None)
    else:
        print(__doc__)
        return 2
    if failures:
        print("%d failures" % len(failures))
        return 1
    print("ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
