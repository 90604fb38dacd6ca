#!/bin/sh
# dmasim audit --assume-p2pmem (issue 18): an imported machine names no
# p2pmem BARs, so audit checks no pair on it; with the option every endpoint
# that publishes none is audited as if its driver had published its
# prefetchable (or all its memory) BARs with pci_p2pdma_add_resource()
# (drivers/pci/p2pdma.c), the output says so, and marks each such pair.
# Usage: audit_assume.sh DMASIM SOURCE_DIR
set -u
dmasim=$1
cd "$2" || exit 2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
bad() { echo "FAIL: $*"; fail=1; }
imp=$tmp/imported.yaml
"$dmasim" import sysfs tests/data/kernel/linux-6.12/sw-vtd-intel -o "$imp" 2>/dev/null || { echo "FAIL: import"; exit 1; }
sum0=$(cksum <"$imp")

# Without the option: no pair.
"$dmasim" audit "$imp" >"$tmp/plain" || bad "audit exits $?"
grep -q '^summary: 0 pairs' "$tmp/plain" || bad "audit of an import checks pairs: $(tail -1 "$tmp/plain")"
grep -q 'assumed' "$tmp/plain" && bad "audit without the option mentions an assumption"

# With it: pairs, a header line, every listed pair marked.
"$dmasim" audit --all --assume-p2pmem "$imp" >"$tmp/pref" || bad "audit --assume-p2pmem exits $?"
sed -n 3p "$tmp/pref" | grep -q '^assumed p2pmem (--assume-p2pmem=prefetchable): [1-9][0-9]* BARs*' ||
	bad "no header line of the assumption: $(sed -n 3p "$tmp/pref")"
npref=$(sed -n 's/^summary: \([0-9]*\) pairs.*/\1/p' "$tmp/pref")
[ "${npref:-0}" -gt 0 ] || bad "--assume-p2pmem checks no pair"
nlisted=$(grep -c -E '^(sound|UNSOUND|CONSERVATIVE) ' "$tmp/pref")
nmarked=$(grep -c ' -> .*\[assumed\]$' "$tmp/pref")
[ "$nlisted" = "$npref" ] && [ "$nmarked" = "$npref" ] || bad "$npref pairs, $nlisted listed, $nmarked marked [assumed]"
grep -q "^assumed: $npref of the $npref pairs exist only by --assume-p2pmem\$" "$tmp/pref" || bad "no summary of assumed pairs"
"$dmasim" audit --json --assume-p2pmem "$imp" >"$tmp/json" || bad "audit --json --assume-p2pmem exits $?"
grep -q '"which": "prefetchable"' "$tmp/json" || bad "JSON does not say which BARs are assumed"
[ "$(grep -c '"assumed": true' "$tmp/json")" = "$npref" ] || bad "JSON does not mark every pair assumed"
grep -q "\"assumed\": $npref\$" "$tmp/json" || bad "JSON summary does not count the assumed pairs"
# The explicit spelling is the default.
"$dmasim" audit --all --assume-p2pmem=prefetchable "$imp" | cmp -s - "$tmp/pref" || bad "=prefetchable differs from the default"

# all-mem publishes the non-prefetchable BARs too: more pairs on this machine.
"$dmasim" audit --assume-p2pmem=all-mem "$imp" >"$tmp/all" || bad "audit --assume-p2pmem=all-mem exits $?"
nall=$(sed -n 's/^summary: \([0-9]*\) pairs.*/\1/p' "$tmp/all")
[ "${nall:-0}" -gt "$npref" ] || bad "all-mem checks $nall pairs, prefetchable $npref"
grep -q '^assumed p2pmem (--assume-p2pmem=all-mem)' "$tmp/all" || bad "all-mem header"
[ "$(cksum <"$imp")" = "$sum0" ] || bad "the topology file changed"

# A file that publishes p2pmem for one endpoint: its pairs are not marked,
# the others' are.
t=topologies/x86_64/skylake-plx.yaml
"$dmasim" audit --all --assume-p2pmem "$t" >"$tmp/plx" || bad "audit --assume-p2pmem $t exits $?"
grep -q ' -> nvme0: .*\[assumed\]' "$tmp/plx" && bad "pairs of nvme0 (p2pmem: [4] in the file) marked assumed"
grep -q ' -> nvme0: ' "$tmp/plx" || bad "no pair of nvme0"
grep -q ' -> gpu0: .*\[assumed\]$' "$tmp/plx" || bad "pairs of gpu0 (no p2pmem in the file) not marked"
"$dmasim" audit --all "$t" >"$tmp/plx0"
grep ' -> nvme0: ' "$tmp/plx0" >"$tmp/a"
grep ' -> nvme0: ' "$tmp/plx" >"$tmp/b"
cmp -s "$tmp/a" "$tmp/b" || bad "the assumption changed the pairs of nvme0"

# Usage errors: exit 2, with the values it takes.
for arg in --assume-p2pmem=bogus --assume-p2pmem=; do
	"$dmasim" audit "$arg" "$imp" >/dev/null 2>"$tmp/err"
	rc=$?
	[ $rc = 2 ] || bad "audit $arg exits $rc, not 2"
	grep -q 'takes prefetchable or all-mem' "$tmp/err" || bad "audit $arg: $(cat "$tmp/err")"
done
"$dmasim" audit --isolation --assume-p2pmem "$imp" >/dev/null 2>&1
rc=$?
[ $rc = 2 ] || bad "audit --isolation --assume-p2pmem exits $rc, not 2"
[ $fail = 0 ] && echo "audit_assume: $npref pairs assumed prefetchable, $nall all-mem; marks and usage errors as documented"
exit $fail
