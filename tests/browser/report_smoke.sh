#!/bin/sh
# dmasim report without a browser: a page for every shipped topology under
# every built-in policy, self-contained (no external resource, no URL the
# page could load), with one matrix per policy and a data element per
# machine; and the usage errors.  Usage: report_smoke.sh DMASIM SRCDIR WORKDIR
set -u
dmasim=$1 src=$2 work=$3
fail=0
mkdir -p "$work"
pols="--policy seed-2018 --policy linux-4.20 --policy linux-5.15 --policy linux-6.12"
for topo in "$src"/topologies/*/*.yaml; do
	case $topo in *.suite.yaml) continue ;; esac
	out=$work/$(basename "$topo" .yaml).html
	# shellcheck disable=SC2086
	"$dmasim" report "$topo" $pols -o "$out" || { echo "FAIL: report $topo exits $?"; fail=1; continue; }
	n=$(grep -c '<table class="mx" role="grid"' "$out")
	[ "$n" = 4 ] || { echo "FAIL: $topo: $n matrices, expected 4"; fail=1; }
	grep -q '<script type="application/json" id="data-0">' "$out" || { echo "FAIL: $topo: no data"; fail=1; }
	grep -q '<svg class="tree"' "$out" || { echo "FAIL: $topo: no tree"; fail=1; }
	# nothing the page could fetch: no src=, no <link>, no url(), no http(s)
	# URL but the SVG namespace
	if grep -Eq '<link|src=|url\(|@import' "$out" ||
	   sed 's#xmlns="http://www.w3.org/2000/svg"##g' "$out" | grep -Eq 'https?://'; then
		echo "FAIL: $topo: the page names an external resource"; fail=1
	fi
done
# suites: exit 0 when every case passes, and the cases carry file:line
s=$src/topologies/x86_64/skylake-plx.suite.yaml
"$dmasim" report "$src/topologies/x86_64/skylake-plx.yaml" --suite "$s" -o "$work/suite.html" ||
	{ echo "FAIL: report --suite exits $?"; fail=1; }
grep -q "skylake-plx.suite.yaml:[0-9]" "$work/suite.html" || { echo "FAIL: no case file:line"; fail=1; }
# nvidia-smi codes: PIX below one switch, PXB across two, X on the diagonal
"$dmasim" report "$src/tests/data/fabric/switch_below_switch.yaml" -o "$work/sbs.html" ||
	{ echo "FAIL: report switch_below_switch exits $?"; fail=1; }
codes=$(grep -o 'class="s">[A-Z]*<' "$work/sbs.html" | sed 's/class="s">//; s/<//' | tr '\n' ' ')
want="X PIX PIX PXB PIX X PIX PXB PIX PIX X PXB PXB PXB PXB X "
[ "$codes" = "$want" ] || { echo "FAIL: codes '$codes', expected '$want'"; fail=1; }
# NODE across host bridges (two stacks, no NUMA nodes in the model)
grep -q 'class="s">NODE<' "$work/skylake-2stack.html" || { echo "FAIL: no NODE across host bridges"; fail=1; }
# usage errors exit 2
for args in "" "$src/topologies/x86_64/skylake-plx.yaml" \
	"-o $work/x.html" "-o $work/x.html /nonexistent.yaml" \
	"-o $work/x.html --policy no-such-policy $src/topologies/x86_64/skylake-plx.yaml" \
	"-o $work/x.html --max-endpoints 0 $src/topologies/x86_64/skylake-plx.yaml" \
	"-o /nonexistent/dir/x.html $src/topologies/x86_64/skylake-plx.yaml" \
	"-o $work/x.html --suite /nonexistent.suite.yaml $src/topologies/x86_64/skylake-plx.yaml"; do
	# shellcheck disable=SC2086
	"$dmasim" report $args >/dev/null 2>&1
	st=$?
	[ "$st" = 2 ] || { echo "FAIL: report $args exits $st, expected 2"; fail=1; }
done
[ $fail = 0 ] && echo "report: every shipped topology, self-contained; usage errors exit 2"
exit $fail
