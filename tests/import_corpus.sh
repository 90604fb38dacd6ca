#!/bin/sh
# dmasim tests -- every real-machine dump in CORPUS/lspci/ imports to a
# topology that validates and that says what lspci says.
#
# usage: import_corpus.sh DMASIM CORPUS
#
# The reference is `lspci -F DUMP -vvv -nn -D` (pciutils).  dmasim's view of
# the imported topology is put in the same form by exporting it
# (`dmasim export lspci`) and letting lspci decode that, so both sides go
# through the same decoder.  Compared per function: presence and IDs, the
# tree (`lspci -t`), bus numbers, memory BAR base addresses,
# bridge memory windows, PCIe port types and the ACS capability and control
# bits.  Where the dump has no PCIe capability (64-byte dumps) the port type
# dmasim infers is not compared.  I/O space and expansion ROMs are not
# modelled and not compared.  Two things lspci shows are not modelled, and
# the import says so in a YAML comment, which this script checks:
#  - a window whose base and limit registers are 0 ([0-fffff]) is taken as
#    never programmed (several sibling bridges show it at once);
#  - a resource outside its bridge's windows that is reached through a
#    subtractive-decode bridge is left out ("... subtractive decode of ...").
set -u
DMASIM=$1
CORPUS=$2

if [ ! -d "$CORPUS/lspci" ]; then
	echo "FAIL no corpus at $CORPUS/lspci"
	exit 1
fi
if ! command -v lspci >/dev/null 2>&1; then
	echo "SKIP: lspci is not installed (Debian package pciutils)"
	exit 0
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM

# One fact per line: "BDF key value".
facts() {
	lspci -F "$1" -vvv -nn -D 2>/dev/null | awk '
	function hex(s) { s = tolower(s); sub(/^0+/, "", s); return s == "" ? "0" : s }
	function range(s,   a) { split(s, a, "-"); return hex(a[1]) "-" hex(a[2]) }
	function win(b, k, r) { if (r == "0-fffff") print b, "unprogrammed-" k; else print b, k, r }
	/^[0-9a-f][0-9a-f][0-9a-f][0-9a-f]:[0-9a-f][0-9a-f]:[0-9a-f][0-9a-f]\.[0-7] / {
		bdf = $1; id = ""; s = $0
		while (match(s, /\[[0-9a-f][0-9a-f][0-9a-f][0-9a-f]:[0-9a-f][0-9a-f][0-9a-f][0-9a-f]\]/)) {
			id = substr(s, RSTART + 1, RLENGTH - 2); s = substr(s, RSTART + RLENGTH)
		}
		print bdf, "id", id
		bus = substr(bdf, 6, 2)
		next
	}
	/^\tBus: primary=/ {
		split($0, a, /[=,]/)
		# Bridges without bus numbers (secondary not above their bus) are
		# modelled as endpoints.
		if (a[4] > bus) { print bdf, "buses", a[4] "-" a[6]; configured[bdf] = 1 }
		next
	}
	/^\tMemory behind bridge: / && !/\[disabled\]/ && !/\[empty\]/ { win(bdf, "mem", range($4)); next }
	/^\tPrefetchable memory behind bridge: / && !/\[disabled\]/ && !/\[empty\]/ { win(bdf, "pref", range($5)); next }
	/^\tMemory window [01]: / {
		win(bdf, (/prefetchable/ ? "pref" : "mem"), range($4)); next
	}
	/^\tRegion [0-5]: Memory at [0-9a-f]/ {
		r = $2; sub(/:/, "", r)
		print bdf, "bar" r, hex($5)
		next
	}
	/^\tCapabilities: \[[0-9a-f]*\] Express / {
		t = $0
		sub(/.*Express \([^)]*\) /, "", t); sub(/ \(Slot.*/, "", t); sub(/,.*/, "", t)
		if (t == "Root Port") t = "root-port"
		else if (t == "Upstream Port") t = "switch-upstream"
		else if (t == "Downstream Port") t = "switch-downstream"
		else if (t ~ /Bridge/) t = "pci-bridge"
		else t = "endpoint"
		# A port type on a function without bus numbers (a type 0
		# header, an unconfigured bridge) is modelled as an endpoint.
		if (t == "endpoint" || configured[bdf]) print bdf, "type", t
		next
	}
	/^\t\tACSCap:/ { $1 = ""; print bdf, "acscap" $0; next }
	/^\t\tACSCtl:/ { $1 = ""; print bdf, "acsctl" $0; next }
	' | sort
}

# The tree as lspci draws it; a bridge without bus numbers ("11.0--") is
# drawn as the endpoint dmasim makes of it.
tree() {
	lspci -F "$1" -t 2>/dev/null | sed 's/\([0-9a-f][0-9a-f]\.[0-7]\)--$/\1/'
}

n=0
failed=0
for dump in "$CORPUS"/lspci/*.dump; do
	[ -e "$dump" ] || continue
	name=$(basename "$dump" .dump)
	n=$((n + 1))
	if ! "$DMASIM" import lspci "$dump" -o "$tmp/$name.yaml" 2>"$tmp/$name.err"; then
		echo "FAIL $name: import: $(cat "$tmp/$name.err")"
		failed=$((failed + 1))
		continue
	fi
	if ! "$DMASIM" validate "$tmp/$name.yaml" >"$tmp/$name.err" 2>&1; then
		echo "FAIL $name: validate: $(cat "$tmp/$name.err")"
		failed=$((failed + 1))
		continue
	fi
	"$DMASIM" export lspci "$tmp/$name.yaml" -o "$tmp/$name.out"
	facts "$dump" >"$tmp/$name.want"
	facts "$tmp/$name.out" >"$tmp/$name.got"
	if [ ! -s "$tmp/$name.want" ]; then
		echo "FAIL $name: lspci decodes nothing from it"
		failed=$((failed + 1))
		continue
	fi
	# Every fact lspci reads from the dump must hold for the import; the
	# only extra facts allowed are inferred port types.
	y="$tmp/$name.yaml"
	comm -23 "$tmp/$name.want" "$tmp/$name.got" | while read -r bdf key rest; do
		case $key in
		unprogrammed-mem)
			grep -q "^ *# mem window registers are 0" "$y" || echo "$bdf $key $rest" ;;
		unprogrammed-pref)
			grep -q "^ *# mem-pref window registers are 0" "$y" || echo "$bdf $key $rest" ;;
		*)
			grep -q "of $bdf left out: .*subtractive decode of .*which dmasim does not model" "$y" ||
				echo "$bdf $key $rest" ;;
		esac
	done >"$tmp/$name.missing"
	comm -13 "$tmp/$name.want" "$tmp/$name.got" | while read -r bdf key rest; do
		if [ "$key" != type ] || grep -q "^$bdf type " "$tmp/$name.want"; then
			echo "$bdf $key $rest"
		fi
	done >"$tmp/$name.extra"
	tree "$dump" >"$tmp/$name.tree.want"
	tree "$tmp/$name.out" >"$tmp/$name.tree.got"
	if [ -s "$tmp/$name.missing" ] || [ -s "$tmp/$name.extra" ] ||
	   ! cmp -s "$tmp/$name.tree.want" "$tmp/$name.tree.got"; then
		echo "FAIL $name:"
		sed 's/^/  lspci says:  /' "$tmp/$name.missing"
		sed 's/^/  dmasim says: /' "$tmp/$name.extra"
		diff "$tmp/$name.tree.want" "$tmp/$name.tree.got" | sed 's/^/  tree: /'
		failed=$((failed + 1))
		continue
	fi
	echo "ok   $name: $(grep -c ' id ' "$tmp/$name.want") functions, $(wc -l <"$tmp/$name.want") facts agree with lspci"
done
if [ "$n" = 0 ]; then
	echo "SKIP: no *.dump in $CORPUS/lspci"
	exit 0
fi
echo "$((n - failed)) of $n corpus dumps import, validate and match lspci"
[ "$failed" = 0 ]
