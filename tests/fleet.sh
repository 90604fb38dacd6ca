#!/bin/sh
# dmasim tests -- fleets (docs/fleet.md): 'diff' and 'audit' over a
# directory of machines (topology YAML, sysfs snapshot archives written by
# 'dmasim collect' from the kernel recordings in tests/data/kernel, a
# snapshot directory, a broken file), --shard K/N, and 'dmasim merge'.
# usage: fleet.sh DMASIM TOP
set -u
D=$1
top=$2
cd "$top" || exit 2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
mkdir "$tmp/tmpdir" && TMPDIR=$tmp/tmpdir && export TMPDIR
fails=0
ok() { echo "ok - $1"; }
bad() { echo "FAIL $1"; fails=$((fails + 1)); }

# The fleet: shipped topologies (and their suites, which are no machines),
# snapshots of the recorded kernels as archives, one as a directory, a
# broken YAML file and a README.
F=$tmp/fleet
mkdir -p "$F/yaml/arm64" "$F/tar" "$F/dir"
cp topologies/x86_64/*.yaml "$F/yaml/"
cp topologies/arm64/*.yaml "$F/yaml/arm64/"
for k in tests/data/kernel/linux-6.12/*/; do
	"$D" collect --quiet --root "$k" -o "$F/tar/$(basename "$k").tar" ||
		bad "collect --root $k"
done
cp -r tests/data/kernel/linux-6.1/sw-vtd-intel "$F/dir/sw-vtd-intel"
printf 'arch: [\n' >"$F/yaml/zz-broken.yaml"
echo "not a machine" >"$F/README"
nyaml=$(ls topologies/x86_64/*.yaml topologies/arm64/*.yaml | grep -vc suite)
ntar=$(ls -d tests/data/kernel/linux-6.12/*/ | wc -l)
nall=$((nyaml + ntar + 1 + 1))

P="--policy linux-4.20 --policy linux-6.12"
"$D" diff $P "$F" >"$tmp/diff.txt" 2>"$tmp/diff.err"
st=$?
[ $st -eq 2 ] && ok "diff DIR: a machine that does not load makes exit 2" ||
	bad "diff DIR: exit $st, not 2"
grep -q "^$F/yaml/zz-broken.yaml *not loaded: $F/yaml/zz-broken.yaml:2:" "$tmp/diff.txt" &&
	ok "the broken machine is in the table with file:line" ||
	bad "the broken machine is not in the table with its error"
grep -q "zz-broken.yaml:2:" "$tmp/diff.err" && ok "and its error is on stderr" ||
	bad "its error is not on stderr"
for m in "$F/tar/sw-vtd-intel.tar" "$F/dir/sw-vtd-intel" "$F/yaml/arm64/altra-smmu.yaml"; do
	grep -q "^$m  *[0-9][0-9]*  *[0-9][0-9]*\$" "$tmp/diff.txt" &&
		ok "table line for $m" || bad "no table line for $m"
	grep -q "^$m: [0-9]* of [0-9]* pairs change" "$tmp/diff.txt" &&
		ok "details for $m" || bad "no details for $m"
done
grep -q "^total ($nall machines)" "$tmp/diff.txt" && ok "total line counts $nall machines" ||
	bad "total line does not count $nall machines"
grep -q '^(1 file below the directories is no machine)' "$tmp/diff.txt" &&
	ok "the README is counted as no machine" || bad "the README is not counted"
# the table is in sorted path order
sed -n '/^machine /,/^total /p' "$tmp/diff.txt" | sed '1d;$d' | awk '{ print $1 }' >"$tmp/order"
LC_ALL=C sort "$tmp/order" | cmp -s - "$tmp/order" && [ "$(wc -l <"$tmp/order")" -eq $nall ] &&
	ok "machines in sorted order" || bad "machines not in sorted order"
# the same machine, a YAML file, diffed alone gives the same details
"$D" diff $P "$F/yaml/skylake-plx.yaml" >"$tmp/one.txt"
sed -n "/^$(echo "$F" | sed 's/[/.]/\\&/g')\/yaml\/skylake-plx.yaml: /,/^\$/p" "$tmp/diff.txt" | sed '$d' >"$tmp/a"
sed -n '/skylake-plx.yaml: /,/^$/p' "$tmp/one.txt" | sed '$d' >"$tmp/b"
[ -s "$tmp/a" ] && cmp -s "$tmp/a" "$tmp/b" && ok "per-machine details as for one topology" ||
	bad "per-machine details differ from a single diff"
# an archive gives the same pairs as the topology imported from it
"$D" import sysfs "$F/tar/pxb-vtd-epyc.tar" -o "$tmp/epyc.yaml" 2>/dev/null
"$D" diff --json $P "$tmp/epyc.yaml" | grep '"changed"' | tail -1 >"$tmp/a"
"$D" diff --json $P "$F/tar/pxb-vtd-epyc.tar" | grep '"changed"' | tail -1 >"$tmp/b"
[ -s "$tmp/a" ] && cmp -s "$tmp/a" "$tmp/b" && ok "an archive diffs as its import" ||
	bad "an archive does not diff as its import"

# audit over the fleet: the table, unsound machines, the broken one
"$D" audit --assume-p2pmem --policy linux-4.20 "$F" >"$tmp/audit.txt" 2>"$tmp/audit.err"
st=$?
[ $st -eq 2 ] && ok "audit DIR: exit 2 with a machine that does not load" ||
	bad "audit DIR: exit $st, not 2"
grep -q "^machine  *pairs  unsound  conservative  sound\$" "$tmp/audit.txt" &&
	ok "audit table header" || bad "no audit table header"
grep -q "^$F/tar/sw-vtd-intel.tar  *[1-9][0-9]*  *[0-9]*  *[0-9]*  *[0-9]*\$" "$tmp/audit.txt" &&
	ok "an archive is audited with --assume-p2pmem" || bad "no audit line for an archive"
rm "$F/yaml/zz-broken.yaml"
"$D" audit --policy linux-4.20 "$F/yaml" >"$tmp/a.txt" 2>&1
st=$?
grep -q '^[1-9][0-9]* of [0-9]* machines have unsound pairs, 0 not loaded$' "$tmp/a.txt" && [ $st -eq 1 ] &&
	ok "audit DIR exits 1 when a machine has unsound pairs" || bad "audit DIR exit $st"
"$D" audit --policy linux-6.12 "$F/yaml/skylake-plx.yaml" "$F/yaml/xeon-e5v3.yaml" >"$tmp/a.txt" 2>&1
st=$?
grep -q '^0 of 2 machines have unsound pairs, 0 not loaded$' "$tmp/a.txt" && [ $st -eq 0 ] &&
	ok "audit of two sound machines exits 0" || bad "audit of two sound machines: exit $st"
"$D" audit --isolation "$F/yaml" >/dev/null 2>&1
[ $? -eq 2 ] && ok "audit --isolation refuses a fleet" || bad "audit --isolation took a fleet"
printf 'arch: [\n' >"$F/yaml/zz-broken.yaml"

# --shard: validation
for s in 0/3 4/3 3 a/b 1/0 -1/2 1/2x; do
	"$D" diff $P --shard "$s" "$F" >/dev/null 2>"$tmp/err"
	[ $? -eq 2 ] && grep -q -- "--shard" "$tmp/err" && ok "--shard $s refused" ||
		bad "--shard $s not refused with a message"
done

echo "1..$fails failures" >/dev/null
[ $fails -eq 0 ] && echo "all ok" || echo "$fails failed"
[ $fails -eq 0 ]
