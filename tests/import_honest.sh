#!/bin/sh
# dmasim tests -- what the importers take from the input instead of
# leaving it out or guessing it (docs/import.md):
#
# 1. a host bridge's numa_node from sysfs numa_node files (-1: left out),
#    and from hwloc's NUMA node and package;
# 2. every device's class, so `matrix` leaves the host-bridge function out.
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

[ $fails = 0 ] || { echo "$fails failure(s)"; exit 1; }
