#!/usr/bin/env python3
"""bench/report_render.py -- how long headless chromium takes to render the
page of `dmasim report` for a ~1,000-device machine, against the page of a
shipped 10-device machine in the same run (the baseline).

Usage: bench/report_render.py DMASIM DMASIM_GEN [--runs N]

Each run opens the page in a fresh tab and takes the time from navigation
start to the first animation frame after the load event (parsed, laid out,
painted), from the page's own performance clock.  Prints the medians and
the ratio; nothing here is a test (docs/report.md, "Performance")."""
import os
import statistics
import subprocess
import sys
import tempfile

here = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(here, "..", "tests", "browser"))
import cdp  # noqa: E402

RENDER = """new Promise(function (ok) {
  requestAnimationFrame(function () { requestAnimationFrame(function () {
    var t = performance.getEntriesByType('navigation')[0];
    ok([performance.now(), t.loadEventEnd, document.querySelectorAll('svg.tree g.node').length,
        document.querySelectorAll('table.mx td').length]); }); }); })"""


def measure(b, url, runs):
    times, shape = [], None
    for _ in range(runs):
        b.navigate("about:blank")
        b.navigate(url)
        now, load, nodes, cells = b.eval(RENDER)
        times.append(now)
        shape = (nodes, cells)
    return statistics.median(times), min(times), max(times), shape


def main():
    if len(sys.argv) < 3:
        print(__doc__)
        return 2
    dmasim, gen = sys.argv[1], sys.argv[2]
    runs = int(sys.argv[4]) if len(sys.argv) > 4 and sys.argv[3] == "--runs" else 7
    work = tempfile.mkdtemp(prefix="dmasim-report-bench-")
    big = os.path.join(work, "g1000.yaml")
    with open(big, "w") as f:
        subprocess.run([gen, "--devices", "1000", "--endpoints", "4", "--seed", "7"],
                       stdout=f, check=True)
    small = os.path.join(here, "..", "topologies", "x86_64", "skylake-plx.yaml")
    pages = {}
    for name, topo in (("skylake-plx", small), ("gen-1000", big)):
        out = os.path.join(work, name + ".html")
        subprocess.run([dmasim, "report", topo, "--policy", "linux-5.15", "--policy",
                        "linux-6.12", "-o", out], check=True)
        pages[name] = (out, os.path.getsize(out))
    b = cdp.Browser(cdp.find_chromium())
    res = {}
    try:
        b.open_page()
        for name, (out, size) in pages.items():
            res[name] = measure(b, "file://" + out, runs)
            med, lo, hi, (nodes, cells) = res[name]
            print("%-12s %8.0f KiB  %5d tree boxes  %6d matrix cells  render median %6.0f ms "
                  "(min %.0f, max %.0f, %d runs)" % (name, size / 1024, nodes, cells, med, lo, hi, runs))
    finally:
        b.close()
    print("ratio gen-1000 / skylake-plx: %.1fx" % (res["gen-1000"][0] / res["skylake-plx"][0]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
