#!/bin/sh
# dmasim tests -- `dmasim import hwloc` and `dmasim export hwloc`
# (docs/import.md, "hwloc XML").
#
# usage: hwloc.sh DMASIM SRCDIR
#
# 1. XML that Debian's lstopo wrote from each real-kernel recording imports
#    to the same tree (BDFs, IDs, bus numbers, nesting) as `import sysfs`
#    of that recording;
# 2. NUMA placement from a two-package file;
# 3. export -> import -> export keeps the tree of every shipped topology,
#    and lstopo (when installed) draws every export with all its devices;
# 4. this machine: lstopo's XML and sysfs name the same functions;
# 5. malformed and hostile XML is refused with exit 2 at line:column.
set -u
DMASIM=$1
SRC=$2
H=$SRC/tests/data/import/hwloc
K=$SRC/tests/data/kernel
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
fails=0
ok() { echo "ok - $1"; }
bad() { echo "FAIL $1"; fails=$((fails + 1)); }
# The tree as nested key lines (comments and inferred types dropped).
tree() { grep -E '^ *-? *(bdf|vendor|device|secondary|subordinate):' "$1" | sed 's/ *#.*//'; }

# 1. lstopo's view of the recordings = sysfs's view
for x in "$H"/sw-*.xml "$H"/pxb*.xml "$H"/arm-smmu.xml; do
	m=$(basename "$x" .xml)
	rec=$K/linux-6.12/$m
	[ -d "$rec" ] || rec=$K/linux-6.12-arm64/$m
	if ! "$DMASIM" import hwloc "$x" > "$tmp/h.yaml" 2> "$tmp/err"; then
		bad "$m: import hwloc: $(cat "$tmp/err")"; continue
	fi
	"$DMASIM" import sysfs "$rec" > "$tmp/s.yaml" 2> /dev/null
	tree "$tmp/h.yaml" > "$tmp/h.tree"; tree "$tmp/s.yaml" > "$tmp/s.tree"
	if [ -s "$tmp/s.tree" ] && cmp -s "$tmp/h.tree" "$tmp/s.tree"; then
		ok "$m: hwloc and sysfs give the same tree ($(grep -c bdf "$tmp/h.tree") functions)"
	else
		bad "$m: trees differ: $(diff "$tmp/s.tree" "$tmp/h.tree" | head -6 | tr '\n' ' ')"
	fi
done

# 2. NUMA placement and names
"$DMASIM" import hwloc "$H/two-socket.xml" > "$tmp/t.yaml" 2> "$tmp/err" || bad "two-socket: $(cat "$tmp/err")"
grep -q '0000:03:00.0 NVIDIA Corporation GA100 \[A100 SXM4 40GB\]; link 15.75 GB/s; NUMA node 0, package 0 (hwloc)' \
	"$tmp/t.yaml" && ok "names, link speed and placement of a GPU on package 0" || bad "package 0 GPU comment"
grep -q '0000:81:00.0 NVIDIA & Co; link 15.75 GB/s; NUMA node 1, package 1 (hwloc)' "$tmp/t.yaml" \
	&& ok "package 1, with an entity decoded" || bad "package 1 GPU comment"
grep -q 'type: switch-downstream  # inferred' "$tmp/t.yaml" && ok "port types are marked inferred" \
	|| bad "port type not marked inferred"
[ "$(grep -c '^  - name: hb' "$tmp/t.yaml")" = 2 ] && ok "two host bridges" || bad "host bridges"

# 3. round trip of every shipped topology, and lstopo draws it
for t in "$SRC"/topologies/*/*.yaml; do
	case $t in *.suite.yaml) continue;; esac
	n=$(basename "$t" .yaml)
	grep -q '^host_bridges:' "$t" || continue
	if ! "$DMASIM" export hwloc "$t" -o "$tmp/a.xml" 2> "$tmp/err"; then
		bad "$n: export: $(cat "$tmp/err")"; continue
	fi
	"$DMASIM" import hwloc "$tmp/a.xml" > "$tmp/a.yaml" 2> "$tmp/err" || { bad "$n: re-import: $(cat "$tmp/err")"; continue; }
	"$DMASIM" export hwloc "$tmp/a.yaml" -o "$tmp/b.xml" 2>/dev/null
	# names are not kept (functions come back named by BDF), nor bus ranges
	# of host bridges (inferred); everything else must be equal
	strip() { grep -v '<info name="PCIDevice"' "$1" | grep -v 'info name="dmasim"' |
		  sed 's/bridge_type="0-1" depth="0" bridge_pci="[^"]*"//'; }
	strip "$tmp/a.xml" > "$tmp/a.s"; strip "$tmp/b.xml" > "$tmp/b.s"
	cmp -s "$tmp/a.s" "$tmp/b.s" && ok "$n: export, import, export keeps the tree" \
		|| bad "$n: round trip differs: $(diff "$tmp/a.s" "$tmp/b.s" | head -4 | tr '\n' ' ')"
	if command -v lstopo >/dev/null 2>&1; then
		want=$(grep -c '<object type="PCIDev"' "$tmp/a.xml")
		# identical functions are drawn once as "N x { PCI ... }"
		got=$(lstopo -i "$tmp/a.xml" --whole-io --of console 2>&1 | awk '
			/ PCI [0-9a-f]/ { if (match($0, /[0-9]+ x \{/)) n += substr($0, RSTART, RLENGTH) + 0; else n++ }
			END { print n + 0 }')
		[ "$want" = "$got" ] && ok "$n: lstopo draws all $want PCI devices" \
			|| bad "$n: lstopo drew $got of $want PCI devices"
	fi
done

# 4. this machine
if command -v lstopo >/dev/null 2>&1 && [ -d /sys/bus/pci/devices ] &&
   [ -n "$(ls /sys/bus/pci/devices)" ]; then
	lstopo --whole-io --of xml "$tmp/here.xml" 2>/dev/null
	if "$DMASIM" import hwloc "$tmp/here.xml" > "$tmp/here.yaml" 2> "$tmp/err"; then
		grep -o 'bdf: [0-9a-f:.]*' "$tmp/here.yaml" | sort > "$tmp/hb"
		ls /sys/bus/pci/devices | sed 's/^/bdf: /' | sort > "$tmp/sb"
		cmp -s "$tmp/hb" "$tmp/sb" && ok "this machine: lstopo and sysfs name the same $(wc -l < "$tmp/sb") functions" \
			|| bad "this machine: $(diff "$tmp/sb" "$tmp/hb" | head -4 | tr '\n' ' ')"
	else
		bad "this machine: $(cat "$tmp/err")"
	fi
fi

# 5. malformed and hostile XML: exit 2 at line:column
refuse() {   # name text expected-message
	printf '%s' "$2" > "$tmp/bad.xml"
	out=$("$DMASIM" import hwloc "$tmp/bad.xml" 2>&1); rc=$?
	if [ "$rc" = 2 ] && echo "$out" | grep -q "$3"; then ok "$1 refused: $out"
	else bad "$1: exit $rc: $out"; fi
}
refuse "an internal DTD subset" '<?xml version="1.0"?>
<!DOCTYPE t [ <!ENTITY a "aaaa"> ]>
<topology/>' 'bad.xml:2:1: .*internal subset'
refuse "an unknown entity" '<topology>
  <object type="PCIDev" pci_busid="&a;"/></topology>' 'bad.xml:2:.*entity'
refuse "not hwloc" '<html></html>' 'root element is not <topology>'
refuse "an unclosed element" '<topology><object type="Machine">' 'ends before its elements are closed'
refuse "a bad BDF" '<topology>
<object type="Bridge" bridge_type="0-1" bridge_pci="0000:[00-00]">
<object type="PCIDev" pci_busid="zz" pci_type="0200 [8086:10d3] [0:0] 00"/></object></topology>' 'bad.xml:3:1: .*pci_busid'
refuse "no PCI" '<topology><object type="Machine"/></topology>' 'no PCI function'
refuse "a bridge below its own bus" '<topology><object type="Bridge" bridge_type="0-1" bridge_pci="0000:[00-ff]">
<object type="Bridge" bridge_type="1-1" bridge_pci="0000:[00-01]" pci_busid="0000:00:01.0" pci_type="0604 [8086:2030] [0000:0000] 00"/>
</object></topology>' 'bad.xml:2:1: .*above the bridge'
deep=$(i=0; while [ $i -lt 300 ]; do printf '<a>'; i=$((i + 1)); done)
refuse "deep nesting" "<topology>$deep" 'nested deeper than'
refuse "a stray end tag" '<topology></a></topology></topology>' 'closes nothing'

[ "$fails" = 0 ] && echo "all passed" || echo "$fails failed"
[ "$fails" = 0 ]
