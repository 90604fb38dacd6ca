#!/bin/sh
# dmasim dot escapes the names it puts in labels (issue 15): a topology
# whose machine, host-bridge, IOMMU and device names hold '"', '\', a
# newline, a tab, a control character, '<', '>', '{', '}', '|', '&' and
# Graphviz escapes (\N, \G, \l) renders through `dot -Tsvg` without error,
# and every name comes out of the SVG as `dmasim show` prints it.
# Needs Graphviz's dot and python3 (installed by .ci/run).
# Usage: dot_escape.sh DMASIM SOURCE_DIR
set -u
dmasim=$1
cd "$2" || exit 2
for tool in dot python3; do
	command -v $tool >/dev/null 2>&1 || { echo "FAIL: $tool not found (install graphviz and python3)"; exit 1; }
done
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
t=tests/data/dot/hostile-names.yaml
fail=0
# render NAME ARGS...: dmasim dot ARGS | dot -Tsvg > $tmp/NAME.svg
render() {
	name=$1
	shift
	"$dmasim" dot "$t" "$@" >"$tmp/$name.dot"
	rc=$?
	if [ $rc != 0 ]; then
		echo "FAIL: dmasim dot $* exits $rc"; fail=1; return
	fi
	if ! dot -Tsvg "$tmp/$name.dot" >"$tmp/$name.svg" 2>"$tmp/$name.err" || [ -s "$tmp/$name.err" ]; then
		echo "FAIL: dot -Tsvg on dmasim dot $*:"; cat "$tmp/$name.err"; fail=1
	fi
}
render plain
render p2p --p2p 01:00.0 01:00.1
render path --path 01:00.1 0xc1000000
[ $fail = 0 ] || exit 1
# Each line of text in the SVG, XML-decoded, must include these lines
# (the names as cli_text() shows them: control characters as \t, \xNN).
python3 - "$tmp" <<'PY' || fail=1
import sys, xml.etree.ElementTree as ET
tmp = sys.argv[1]
def lines(name):
    root = ET.parse(f"{tmp}/{name}.svg").getroot()
    return [e.text or "" for e in root.iter("{http://www.w3.org/2000/svg}text")]
gpu = 'gpu "A" & <B> \\G\\ttab\\x01'
nic = 'nic}{|\\"\u00e9'
want = {
    "plain": ['quote" backslash\\ brace{ } bar| <lt> &amp; \\N',
              'hb "0"\\nsecond line\\l{|} (root complex)',
              'iommu mmu"<x>', 'port<"{a|b}">\\', gpu, nic],
    "p2p": [gpu, nic],
    "path": [gpu, nic],
}
bad = 0
for name, texts in want.items():
    got = lines(name)
    for w in texts:
        if w not in got:
            print(f"FAIL: {name}: no text line {w!r} in the SVG")
            bad = 1
if not any(l.startswith(f"P2P {nic} -> {gpu} (") for l in lines("p2p")):
    print("FAIL: p2p: the title does not name both devices as they are")
    bad = 1
if not any(l.startswith(f"{nic} writes 0xc1000000: ") for l in lines("path")):
    print("FAIL: path: the title does not name the device as it is")
    bad = 1
sys.exit(bad)
PY
[ $fail = 0 ] && echo "dot_escape: hostile names render through dot -Tsvg and survive in the labels"
exit $fail
