#!/bin/sh
# dmasim tests -- what the importers take from the input instead of
# leaving it out or guessing it (docs/import.md):
#
# 1. a host bridge's numa_node from sysfs numa_node files (-1: left out),
#    and from hwloc's NUMA node and package;
# 2. every device's class, so `matrix` and `diff` leave the host-bridge
#    function out;
# 3. one IOMMU per unit of /sys/class/iommu, each host bridge attached to
#    the unit that serves its functions, and `collect` archiving the units;
# 4. inferred values marked for the loader and show;
# 5. p2p, map, audit and diff naming the inferred values a verdict rests on.
#
# The recordings in tests/data/kernel hold no numa_node files and no
# /sys/class/iommu, so snapshots are built here from a copy of one.
#
# usage: import_honest.sh DMASIM DATA   (DATA: tests/data)
set -u
DMASIM=$1
DATA=$2
REC=$DATA/kernel/linux-6.12/pxbmf-vtd-intel
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
fails=0
ok() { echo "ok - $1"; }
bad() { echo "FAIL $1"; fails=$((fails + 1)); }
# host_bridge_key FILE HB KEY: the value of KEY in host bridge HB's block
hbkey() {
	awk -v hb="$2" -v key="$3" '
		/^  - name: / { cur = $3 }
		cur == hb && $1 == key ":" { print $2; exit }' "$1"
}
snap() { rm -rf "$tmp/s"; cp -R "$REC" "$tmp/s"; }
DEV=sys/bus/pci/devices

# 1. numa_node
snap
for f in "$tmp/s/$DEV"/0000:0*; do echo 0 > "$f/numa_node"; done
for f in "$tmp/s/$DEV"/0000:4*; do echo 1 > "$f/numa_node"; done
if "$DMASIM" import sysfs "$tmp/s" -o "$tmp/n.yaml" 2> "$tmp/err"; then
	[ "$(hbkey "$tmp/n.yaml" hb0 numa_node)" = 0 ] && [ "$(hbkey "$tmp/n.yaml" hb1 numa_node)" = 1 ] \
		&& ok "numa_node of each host bridge from sysfs (0 and 1)" \
		|| bad "numa_node: $(grep -n numa_node "$tmp/n.yaml")"
	"$DMASIM" matrix "$tmp/n.yaml" --style nvidia > "$tmp/m" 2>&1
	grep -q 'SYS' "$tmp/m" && ok "matrix --style nvidia: the NUMA nodes make SYS pairs" \
		|| bad "no SYS pair in: $(head -5 "$tmp/m")"
else
	bad "import with numa_node: $(cat "$tmp/err")"
fi
for f in "$tmp/s/$DEV"/0000:4*; do echo -1 > "$f/numa_node"; done
"$DMASIM" import sysfs "$tmp/s" -o "$tmp/n.yaml" 2> "$tmp/err" || bad "import: $(cat "$tmp/err")"
[ "$(hbkey "$tmp/n.yaml" hb0 numa_node)" = 0 ] && [ -z "$(hbkey "$tmp/n.yaml" hb1 numa_node)" ] \
	&& ok "numa_node -1 (unknown) is left out" || bad "-1: $(grep -n numa_node "$tmp/n.yaml")"
# a function below the root bus that says otherwise: the root bus decides, a comment says so
echo 1 > "$tmp/s/$DEV/0000:03:00.0/numa_node"
"$DMASIM" import sysfs "$tmp/s" -o "$tmp/n.yaml" 2> "$tmp/err" || bad "import: $(cat "$tmp/err")"
grep -q "numa_node: 0  # from sysfs; 0000:03:00.0 says 1 (the root bus's functions decide)" "$tmp/n.yaml" \
	&& ok "disagreeing functions: the root bus decides, the comment names the other" \
	|| bad "disagreement: $(grep -n numa_node "$tmp/n.yaml")"
"$DMASIM" import sysfs "$REC" -o "$tmp/r.yaml" 2> /dev/null
grep -q 'numa_node:' "$tmp/r.yaml" && bad "a recording without numa_node files got a numa_node" \
	|| ok "no numa_node files, no numa_node key"
printf 'x1\n' > "$tmp/s/$DEV/0000:00:01.0/numa_node"
"$DMASIM" import sysfs "$tmp/s" > /dev/null 2> "$tmp/err"
st=$?
[ $st = 2 ] && grep -q "0000:00:01.0/numa_node:1:1: .*NUMA node number" "$tmp/err" \
	&& ok "a numa_node that is not a number: exit 2 at file:1:1" \
	|| bad "bad numa_node: exit $st: $(cat "$tmp/err")"
printf '4096\n' > "$tmp/s/$DEV/0000:00:01.0/numa_node"
"$DMASIM" import sysfs "$tmp/s" > /dev/null 2> "$tmp/err"
[ $? = 2 ] && ok "numa_node 4096 is refused" || bad "numa_node 4096: $(cat "$tmp/err")"
"$DMASIM" import hwloc "$DATA/import/hwloc/two-socket.xml" -o "$tmp/h.yaml" 2> "$tmp/err" || bad "hwloc: $(cat "$tmp/err")"
[ "$(hbkey "$tmp/h.yaml" hb0 numa_node)/$(hbkey "$tmp/h.yaml" hb0 socket)" = 0/0 ] &&
[ "$(hbkey "$tmp/h.yaml" hb1 numa_node)/$(hbkey "$tmp/h.yaml" hb1 socket)" = 1/1 ] \
	&& ok "hwloc: numa_node and socket of both host bridges" \
	|| bad "hwloc placement: $(grep -n 'numa_node\|socket:' "$tmp/h.yaml")"

# 2. class: the host-bridge function 00:00.0 (class 0x060000) leaves matrix
grep -q '^        class: 0x060000$' "$tmp/r.yaml" && ok "00:00.0 is written with class 0x060000" \
	|| bad "no class 0x060000 line"
[ "$(grep -c '^ *class: 0x' "$tmp/r.yaml")" = "$(grep -c '^ *- bdf:' "$tmp/r.yaml")" ] \
	&& ok "every function has a class" || bad "functions without class"
"$DMASIM" matrix "$tmp/r.yaml" > "$tmp/m" 2>&1
if grep -q '0000:00:00.0' "$tmp/m"; then bad "matrix lists the host-bridge function 0000:00:00.0"
else ok "matrix leaves out the host-bridge function"; fi
"$DMASIM" matrix --all "$tmp/r.yaml" > "$tmp/m" 2>&1
grep -q '0000:00:00.0' "$tmp/m" && ok "matrix --all keeps it" || bad "matrix --all lost 0000:00:00.0"
# diff picks the endpoints as matrix does: on the imported EPYC recording
# (host-bridge function 0000:00:00.0 among 18 functions) its pairs are the
# n*(n-1) ordered pairs of matrix's n endpoints, with and without --all
"$DMASIM" import sysfs "$DATA/kernel/linux-6.1/pxb-vtd-epyc" -o "$tmp/e.yaml" 2> /dev/null
P="--policy linux-4.20 --policy linux-6.12"
for all in "" --all; do
	# shellcheck disable=SC2086
	"$DMASIM" matrix --json $all "$tmp/e.yaml" > "$tmp/mj" 2>&1
	# shellcheck disable=SC2086
	"$DMASIM" diff --json $all $P "$tmp/e.yaml" > "$tmp/dj" 2>&1
	# shellcheck disable=SC2086
	"$DMASIM" diff $all $P "$tmp/e.yaml" > "$tmp/d" 2>&1
	python3 - "$tmp/mj" "$tmp/dj" "$all" <<'PY' && ok "diff${all:+ $all}: the n*(n-1) pairs of matrix${all:+ $all}'s endpoints" \
		|| bad "diff${all:+ $all} and matrix${all:+ $all} pick different endpoints"
import json, sys
m, d, all_ = json.load(open(sys.argv[1])), json.load(open(sys.argv[2])), sys.argv[3]
n = len(m["endpoints"])
assert ("0000:00:00.0" in m["endpoints"]) == bool(all_), m["endpoints"]
assert n == (18 if all_ else 15), n
t = d["topologies"][0]
assert t["pairs"] == n * (n - 1) == d["pairs"], (t["pairs"], n)
names = {c[k] for c in t["changes"] for k in ("initiator", "target")}
assert names <= set(m["endpoints"]), names - set(m["endpoints"])
assert ("0000:00:00.0" in names) == bool(all_), names
PY
done
# $tmp/d: the text of diff --all, the loop's last run
grep -q '0000:00:00.0' "$tmp/d" && ok "diff --all: 0000:00:00.0 is an initiator and a target" \
	|| bad "diff --all lost 0000:00:00.0"
"$DMASIM" diff $P "$tmp/e.yaml" > "$tmp/d" 2>&1
grep -q '0000:00:00.0' "$tmp/d" && bad "diff lists the host-bridge function 0000:00:00.0" \
	|| ok "diff leaves out the host-bridge function"

# 3. one IOMMU per unit of /sys/class/iommu: dmar0 serves 00:05.0 alone (as
#    an integrated GPU's unit does), dmar1 the rest of root bus 00, dmar2
#    root bus 40 (whose groups are identity); a platform device is not ours
snap
U=$tmp/s/sys/class/iommu
mkdir -p "$U/dmar0/devices" "$U/dmar1/devices" "$U/dmar2/devices"
for f in "$tmp/s/$DEV"/*; do
	b=${f##*/}
	case $b in 0000:00:05.0) u=dmar0;; 0000:4*) u=dmar2;; *) u=dmar1;; esac
	ln -s "../../../../devices/pci0000:00/$b" "$U/$u/devices/$b"
done
ln -s ../../../../devices/platform/INT3F0D:00 "$U/dmar2/devices/INT3F0D:00"
for g in $(sed 's|.*/||' "$tmp/s/$DEV"/0000:4*/iommu_group); do
	echo identity > "$tmp/s/sys/kernel/iommu_groups/$g/type"
done
if "$DMASIM" import sysfs "$tmp/s" -o "$tmp/u.yaml" 2> "$tmp/err"; then
	[ "$(grep -c '^  - name: dmar[0-2]  # sys/class/iommu/dmar[0-2]: ' "$tmp/u.yaml")" = 3 ] &&
	! grep -q 'name: iommu0' "$tmp/u.yaml" && ok "one IOMMU per unit (dmar0, dmar1, dmar2), no iommu0" 		|| bad "units: $(grep -n 'name: ' "$tmp/u.yaml" | head -5)"
	grep -q 'dmar1: 20 PCI functions' "$tmp/u.yaml" && grep -q 'dmar2: 10 PCI functions' "$tmp/u.yaml" 		&& ok "the functions each unit lists are counted (the platform device is not)" 		|| bad "counts: $(grep -n 'sys/class/iommu' "$tmp/u.yaml")"
	[ "$(hbkey "$tmp/u.yaml" hb0 iommu)/$(hbkey "$tmp/u.yaml" hb1 iommu)" = dmar1/dmar2 ] 		&& ok "each host bridge is attached to the unit serving its functions" 		|| bad "attachment: $(grep -n '    iommu:' "$tmp/u.yaml")"
	awk '/name: dmar2/ { u = 1 } u && /default_domain:/ { print $2; exit }' "$tmp/u.yaml" | grep -qx identity 		&& ok "a unit's default domain is its groups' type" || bad "dmar2 domain"
	grep -q '# IOMMU unit dmar0 serves it; the format attaches one IOMMU per host bridge, and this one has dmar1' "$tmp/u.yaml" 		&& ok "the function another unit serves says so" || bad "no comment at 00:05.0"
	"$DMASIM" show "$tmp/u.yaml" 2>&1 | grep -q 'dmar2' && ok "the imported units load" || bad "show"
	# collect archives the units' links; the archive imports the same
	if "$DMASIM" collect -q --root "$tmp/s" -o "$tmp/u.tar" 2> "$tmp/err" &&
	   "$DMASIM" import sysfs "$tmp/u.tar" -o "$tmp/t.yaml" 2>> "$tmp/err"; then
		grep -v '^#\|^name:' "$tmp/u.yaml" > "$tmp/a"; grep -v '^#\|^name:' "$tmp/t.yaml" > "$tmp/b"
		cmp -s "$tmp/a" "$tmp/b" && ok "collect archives sys/class/iommu/*/devices/*: the archive imports the same" 			|| bad "archive differs: $(diff "$tmp/a" "$tmp/b" | head -4 | tr '\n' ' ')"
	else
		bad "collect/import: $(cat "$tmp/err")"
	fi
else
	bad "import with units: $(cat "$tmp/err")"
fi
ln -s "../../../../devices/pci0000:00/0000:00:01.0" "$U/dmar0/devices/0000:00:01.0"
"$DMASIM" import sysfs "$tmp/s" > /dev/null 2> "$tmp/err"
[ $? = 2 ] && grep -q 'dmar1/devices/0000:00:01.0: error: IOMMU unit dmar0 lists this function too' "$tmp/err" \
	&& ok "a function two units list is refused (exit 2)" || bad "two units: $(cat "$tmp/err")"
rm "$U/dmar0/devices/0000:00:01.0"
mkdir "$U/bad name"
"$DMASIM" import sysfs "$tmp/s" > /dev/null 2> "$tmp/err"
[ $? = 2 ] && grep -q "not an IOMMU unit's name" "$tmp/err" && ok "a unit name the kernel cannot write is refused" \
	|| bad "bad unit name: $(cat "$tmp/err")"
rm -r "$U/bad name"
mkdir "$U/dmar3"
"$DMASIM" import sysfs "$tmp/s" -o "$tmp/u.yaml" 2> "$tmp/err" && grep -q 'dmar3: 0 PCI functions' "$tmp/u.yaml" \
	&& ok "a unit without PCI functions is still written" || bad "dmar3: $(cat "$tmp/err")"
# no PCI function in any unit: the single iommu0 as before
rm -rf "$U"/dmar*/devices/*
"$DMASIM" import sysfs "$tmp/s" -o "$tmp/u.yaml" 2> "$tmp/err"
grep -q '^  - name: iommu0' "$tmp/u.yaml" && [ "$(hbkey "$tmp/u.yaml" hb1 iommu)" = iommu0 ] \
	&& ok "units that list no function: one iommu0 for every grouped host bridge" || bad "fallback: $(cat "$tmp/err")"
grep -q '^  - name: iommu0' "$tmp/r.yaml" && ok "no sys/class/iommu: iommu0" || bad "recording lost iommu0"

# 4. inferred values reach the loader and show (text and JSON)
"$DMASIM" import sysfs "$DATA/kernel/linux-6.12/pxb-vtd-epyc" -o "$tmp/e.yaml" 2> /dev/null
"$DMASIM" show "$tmp/e.yaml" > "$tmp/show" 2>&1
grep -q '^hb0: .*root complex p2p any (inferred: buses, root_complex)$' "$tmp/show" \
	&& ok "show: the host bridge's guessed keys are marked" || bad "show hb0: $(grep '^hb0' "$tmp/show")"
grep -q '^iommu iommu0: amd-vi.* (inferred: type, address_bits)$' "$tmp/show" \
	&& ok "show: an IOMMU type taken from the CPU vendor is marked" || bad "show iommu: $(grep '^iommu' "$tmp/show")"
"$DMASIM" show --json "$tmp/e.yaml" | tr -d ' \n' > "$tmp/json"
grep -q '"rc_p2p":"any","inferred":\["buses","root_complex"\]' "$tmp/json" \
	&& ok "show --json: the host bridge's inferred list" || bad "show --json has no inferred list"
"$DMASIM" import lspci "$DATA/import/small.dump" -o "$tmp/l.yaml" 2> /dev/null
grep -q '^inferred: \[arch, ram\]$' "$tmp/l.yaml" &&
grep -q 'size: 257M, inferred: \[kind, cpu, bus, size\] }' "$tmp/l.yaml" &&
grep -q 'size: 16K, pref: false, bits: 32, inferred: \[size\] }' "$tmp/l.yaml" \
	&& ok "lspci: arch, RAM, windows and BAR sizes are marked inferred" \
	|| bad "lspci marks: $(grep -c 'inferred: \[' "$tmp/l.yaml")"
"$DMASIM" show "$tmp/l.yaml" | grep -q 'bus 0xc0000000 offset 0x0 (inferred: kind, cpu, bus, size)$' \
	&& ok "show: an inferred host-bridge window is marked" || bad "show window"
"$DMASIM" import sysfs "$REC" --arch x86_64 --no-comments -o "$tmp/nc.yaml" 2> /dev/null
grep -q '^    inferred: \[buses, root_complex\]$' "$tmp/nc.yaml" && ! grep -q '#' "$tmp/nc.yaml" \
	&& ok "--no-comments keeps the inferred keys" || bad "--no-comments lost the inferred keys"

# 5. verdicts that rest on inferred values say so: an lspci dump (windows,
#    BAR sizes, root complex routing all inferred; p2pmem assumed)
"$DMASIM" import lspci --p2pmem all-mem "$DATA/import/small.dump" -o "$tmp/p.yaml" 2> /dev/null
RC='root complex p2p routing of hb0 (p2p: any; imported, not known)'
"$DMASIM" p2p "$tmp/p.yaml" --provider 03:00.0 00:02.0 > "$tmp/o" 2>&1
grep -qF "    depends on inferred: p2pmem BARs of 0000:03:00.0 (assumed at import, not published by a driver); $RC" "$tmp/o" \
	&& ok "p2p: a thru_host_bridge pair names the inferred root-complex routing" || bad "p2p: $(cat "$tmp/o")"
"$DMASIM" p2p --json "$tmp/p.yaml" --provider 03:00.0 00:02.0 | tr -d '\n' | grep -qF "\"depends_on_inferred\": [        \"p2pmem" \
	&& ok "p2p --json: depends_on_inferred" || bad "p2p --json"
"$DMASIM" map --p2p "$tmp/p.yaml" 03:00.0 00:02.0 > "$tmp/o" 2>&1
grep -qF "size of BAR 0 of 0000:03:00.0 (inferred); host-bridge window [0xc0000000-0xd00fffff] of hb0 (inferred)" "$tmp/o" &&
grep -qF "$RC" "$tmp/o" && ok "map: the route's root complex, window and BAR size" || bad "map: $(grep depends "$tmp/o")"
"$DMASIM" map --json "$tmp/p.yaml" 00:02.0 03:00.0.bar0 | grep -q '"depends_on_inferred"' \
	&& ok "map --json: depends_on_inferred" || bad "map --json"
"$DMASIM" audit --all "$tmp/p.yaml" > "$tmp/o" 2>&1
[ "$(grep -c '^             depends on inferred: .*root complex p2p routing of hb0' "$tmp/o")" = 4 ] \
	&& ok "audit: every pair through the root complex says so" || bad "audit: $(head -5 "$tmp/o")"
"$DMASIM" audit --json "$tmp/p.yaml" | grep -c '"depends_on_inferred"' | grep -qx 4 \
	&& ok "audit --json: depends_on_inferred on every pair" || bad "audit --json"
# hwloc: port types from the tree's shape; a switch-local pair names only
# the ports up to the switch, a pair across host bridges both root complexes
"$DMASIM" import hwloc "$DATA/import/hwloc/two-socket.xml" -o "$tmp/h.yaml" 2> /dev/null
"$DMASIM" p2p "$tmp/h.yaml" --provider 0000:03:00.0 0000:04:00.0 0000:81:00.0 > "$tmp/o" 2>&1
grep -A1 '0000:04:00.0): bus_addr' "$tmp/o" | grep -q 'port type of 0000:02:00.0 (switch-downstream, inferred); port type of 0000:01:00.0 (switch-upstream, inferred); port type of 0000:02:01.0 (switch-downstream, inferred)$' \
	&& ok "p2p: inferred port types up to the common switch" || bad "port types: $(cat "$tmp/o")"
grep -A1 '0000:81:00.0): thru_host_bridge' "$tmp/o" | grep -q 'port type of 0000:80:01.0 (root-port, inferred); root complex p2p routing of hb0 (p2p: none; imported, not known); root complex p2p routing of hb1' \
	&& ok "p2p: across host bridges, both root complexes" || bad "across: $(cat "$tmp/o")"
# a route the root complex refuses still names what it rested on
"$DMASIM" import sysfs "$DATA/kernel/linux-6.12/pxbmf-none-intel" -o "$tmp/x.yaml" 2> /dev/null
"$DMASIM" map "$tmp/x.yaml" 0000:00:05.0 0000:44:00.0.bar0 > "$tmp/o" 2>&1
grep -q '^depends on inferred: root complex p2p routing of hb0 (p2p: none; imported, not known); root complex p2p routing of hb1 (p2p: none; imported, not known)$' "$tmp/o" \
	&& grep -q 'lands rc-p2p-blocked' "$tmp/o" && ok "map: a refused crossing names both root complexes" \
	|| bad "rc blocked: $(tail -3 "$tmp/o")"
# diff: a change resting on inferred values is marked '*' in the matrix,
# the values are named under it with counts, and in JSON per change
"$DMASIM" diff --policy seed-2018 --policy linux-6.12 "$tmp/x.yaml" > "$tmp/o" 2>&1
grep -q '  HB -> BUS4\*' "$tmp/o" && ok "diff: a change through an inferred root complex is marked '*'" \
	|| bad "diff marks: $(head -12 "$tmp/o")"
grep -q '^  \* [1-9][0-9]* of these changes rest on values the topology marks inferred:$' "$tmp/o" \
	&& grep -q '^    root complex p2p routing of hb0 (p2p: none; imported, not known) ([1-9][0-9]*)$' "$tmp/o" \
	&& ok "diff: the inferred values under the matrix, with counts" || bad "diff legend: $(grep -A3 'rest on' "$tmp/o")"
"$DMASIM" diff --json --policy seed-2018 --policy linux-6.12 "$tmp/x.yaml" > "$tmp/j" 2>&1
python3 - "$tmp/j" <<'PY' && ok "diff --json: changed_inferred counts the changes with depends_on_inferred" || bad "diff --json inferred"
import json, sys
d = json.load(open(sys.argv[1]))
t = d["topologies"][0]
marked = [c for c in t["changes"] if c.get("depends_on_inferred")]
assert marked and len(marked) == t["changed_inferred"] == d["changed_inferred"], (len(marked), t["changed_inferred"])
assert any("root complex p2p routing of hb0" in x for x in marked[0]["depends_on_inferred"])
assert d["machines"][0]["inferred"] == len(marked)
PY
"$DMASIM" diff --policy seed-2018 --policy linux-6.12 "$DATA/../../topologies/x86_64/skylake-plx.yaml" > "$tmp/o" 2>&1
grep -q 'rest on values\|\*$\|\* ' "$tmp/o" && bad "diff: marks on a machine with nothing inferred" \
	|| ok "diff: a machine with nothing inferred has no marks"
# matrix: a cell whose map type rests on an inferred value is marked '*',
# the legend names the values with counts; JSON has the same as data
"$DMASIM" matrix --policy seed-2018 "$tmp/x.yaml" > "$tmp/o" 2>&1
grep -q 'HB[0-9]*\*' "$tmp/o" && ok "matrix: a cell through an inferred root complex is marked '*'" \
	|| bad "matrix marks: $(head -8 "$tmp/o")"
grep -q '^  \*    = [1-9][0-9]* of [1-9][0-9]* cells rest on values the topology marks inferred:$' "$tmp/o" \
	&& grep -q '^         root complex p2p routing of hb0 (p2p: none; imported, not known) ([1-9][0-9]*)$' "$tmp/o" \
	&& ok "matrix: the inferred values in the legend, with counts" || bad "matrix legend: $(tail -4 "$tmp/o")"
grep -q 'p2pmem BARs' "$tmp/o" && bad "matrix: a map type named p2pmem as what it rests on" \
	|| ok "matrix: p2pmem is not among what a map type rests on"
"$DMASIM" matrix --json --policy seed-2018 "$tmp/x.yaml" > "$tmp/j" 2>&1
python3 - "$tmp/j" <<'PY' && ok "matrix --json: inferred marks every HB cell, inferred_values counts them" || bad "matrix --json inferred"
import json, sys
d = json.load(open(sys.argv[1]))
n = len(d["endpoints"])
cells = [(i, j) for i in range(n) for j in range(n)]
marked = [c for c in cells if d["inferred"][c[0]][c[1]]]
# pxbmf-none-intel: both root complexes inferred, so every pair through one is marked
assert all(d["inferred"][i][j] for i, j in cells if d["map_type"][i][j] == "thru_host_bridge")
rc = [v for v in d["inferred_values"] if v["value"].startswith("root complex p2p routing of hb0")]
assert rc and 0 < rc[0]["cells"] <= len(marked), (rc, len(marked))
PY
"$DMASIM" matrix "$DATA/../../topologies/x86_64/skylake-plx.yaml" > "$tmp/o" 2>&1
grep -q '\*' "$tmp/o" && bad "matrix: marks on a machine with nothing inferred" \
	|| ok "matrix: a machine with nothing inferred has no marks"
"$DMASIM" matrix --json "$DATA/../../topologies/x86_64/skylake-plx.yaml" | grep -q '"inferred' \
	&& bad "matrix --json: inferred keys on a machine with nothing inferred" \
	|| ok "matrix --json: no inferred keys when nothing is inferred"
# the note follows the key: without root_complex in the list, no such note
sed 's/inferred: \[buses, root_complex\]/inferred: [buses]/' "$tmp/p.yaml" > "$tmp/q.yaml"
"$DMASIM" p2p "$tmp/q.yaml" --provider 03:00.0 00:02.0 | grep -q 'root complex p2p routing' \
	&& bad "the root-complex note without the key" || ok "no inferred root_complex, no note"
# a switch-local pair does not touch the root complex; a shipped machine has no notes
"$DMASIM" p2p "$DATA/../../topologies/x86_64/skylake-plx.yaml" --provider nvme0 gpu0 nic0 | grep -q 'depends on inferred' \
	&& bad "a hand-written machine got notes" || ok "a machine with nothing inferred gets no notes"

[ $fails = 0 ] || { echo "$fails failure(s)"; exit 1; }
