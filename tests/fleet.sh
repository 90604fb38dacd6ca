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
	grep -q "^$m  *[0-9][0-9]*  *[0-9][0-9]*  *[0-9][0-9]*\$" "$tmp/diff.txt" &&
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

# --progress: "[I/N] MACHINE" on stderr, one line per machine, stdout unchanged
"$D" diff $P --progress "$F/yaml" >"$tmp/p.out" 2>"$tmp/p.err"
"$D" diff $P "$F/yaml" >"$tmp/np.out" 2>/dev/null
n=$(grep -c '^\[[0-9]*/[0-9]*\] ' "$tmp/p.err")
grep -q "^\[1/$n\] $F/yaml/arm64/" "$tmp/p.err" && [ "$n" -eq $((nyaml + 1)) ] &&
	cmp -s "$tmp/p.out" "$tmp/np.out" && ok "--progress: $n lines on stderr" ||
	bad "--progress: no [I/N] lines on stderr, or stdout changed"
# --shard: validation
for s in 0/3 4/3 3 a/b 1/0 -1/2 1/2x; do
	"$D" diff $P --shard "$s" "$F" >/dev/null 2>"$tmp/err"
	[ $? -eq 2 ] && grep -q -- "--shard" "$tmp/err" && ok "--shard $s refused" ||
		bad "--shard $s not refused with a message"
done

# --shard: every machine in exactly one shard; merge gives the unsharded run
"$D" diff --json $P "$F" >"$tmp/full.json" 2>/dev/null
"$D" audit --json --assume-p2pmem "$F" >"$tmp/afull.json" 2>/dev/null
for n in 1 2 3 7 40; do
	k=1 files= afiles=
	while [ $k -le $n ]; do
		"$D" diff --json --shard $k/$n $P "$F" >"$tmp/d$k.json" 2>/dev/null
		"$D" audit --json --assume-p2pmem --shard $k/$n "$F" >"$tmp/a$k.json" 2>/dev/null
		files="$tmp/d$k.json $files" afiles="$afiles $tmp/a$k.json"
		k=$((k + 1))
	done
	# each loaded machine has a row and details, the broken one a row only
	[ "$(grep -h '"index"' $files | wc -l)" -eq $((2 * nall - 1)) ] &&
		[ "$(grep -h '"index"' $files | sort -u | wc -l)" -eq $nall ] &&
		ok "$n shards: each machine in exactly one (row and details)" ||
		bad "$n shards: machines missing or repeated"
	"$D" merge $files >"$tmp/m.json"
	st=$?
	cmp -s "$tmp/m.json" "$tmp/full.json" && [ $st -eq 2 ] &&
		ok "merge of $n diff shards is the unsharded document, exit 2" ||
		bad "merge of $n diff shards differs from the unsharded run (exit $st)"
	"$D" merge $afiles >"$tmp/m.json"
	cmp -s "$tmp/m.json" "$tmp/afull.json" && ok "merge of $n audit shards is the unsharded document" ||
		bad "merge of $n audit shards differs from the unsharded run"
done
grep -q '"changed": [1-9]' "$tmp/full.json" && grep -q '"count": [1-9]' "$tmp/full.json" &&
	ok "the diff has changes to merge" || bad "the diff has no changes: a weak test"
grep -q '^  "changed_inferred": [1-9]' "$tmp/full.json" &&
	ok "the diff has changes resting on inferred values, summed by merge" ||
	bad "no changes resting on inferred values: a weak test of merge's changed_inferred"
"$D" merge "$tmp/d1.json" "$tmp/d2.json" >/dev/null 2>"$tmp/err"
[ $? -eq 2 ] && grep -q "in none of the files" "$tmp/err" && ok "merge refuses missing shards" ||
	bad "merge took missing shards"
"$D" merge "$tmp/d1.json" "$tmp/d1.json" >/dev/null 2>"$tmp/err"
[ $? -eq 2 ] && grep -q "in two shards" "$tmp/err" && ok "merge refuses a shard twice" ||
	bad "merge took a shard twice"
"$D" merge "$tmp/d1.json" "$tmp/a2.json" >/dev/null 2>"$tmp/err"
[ $? -eq 2 ] && grep -q "another command" "$tmp/err" && ok "merge refuses diff with audit" ||
	bad "merge took diff and audit together"
"$D" diff --json --shard 1/40 --policy linux-5.15 --policy linux-6.12 "$F" >"$tmp/o.json" 2>/dev/null
"$D" merge "$tmp/o.json" "$tmp/d2.json" >/dev/null 2>"$tmp/err"
[ $? -eq 2 ] && grep -q '"old" differs (linux-5.15 in .*o\.json, linux-4.20 in .*d2\.json)' "$tmp/err" &&
	ok "merge refuses shards of other policies, naming both files and both policies" ||
	bad "merge took shards of other policies, or did not name both files and policies"
"$D" audit --json --shard 1/40 --policy linux-5.15 --assume-p2pmem "$F" >"$tmp/o.json" 2>/dev/null
"$D" merge "$tmp/o.json" "$tmp/a2.json" >/dev/null 2>"$tmp/err"
[ $? -eq 2 ] && grep -q '"policy" differs (linux-5.15 in .*o\.json, linux-6.12 in .*a2\.json)' "$tmp/err" &&
	ok "merge refuses audit shards of other policies" || bad "merge took audit shards of other policies"

# merge refuses shards of other fleets (docs/fleet.md, "Merging"): the
# same number of machines, but other ones
fleet_of() { sed -n 's/^  "fleet": "\([0-9a-f]*\)",*$/\1/p' "$1"; }
id=$(fleet_of "$tmp/full.json")
[ ${#id} -eq 16 ] && [ "$(fleet_of "$tmp/d1.json")" = "$id" ] && [ "$(fleet_of "$tmp/m.json")" = "$id" ] &&
	[ "$(fleet_of "$tmp/d7.json")" = "$id" ] && [ "$(fleet_of "$tmp/afull.json")" = "$id" ] &&
	ok "every shard and the unsharded run have one \"fleet\"" ||
	bad "the shards' and the unsharded run's \"fleet\" differ, or is not 16 hex digits"
Y=$tmp/yaml2
cp -r "$F/yaml" "$Y"
"$D" diff --json --shard 1/2 $P "$F/yaml" >"$tmp/y1.json" 2>/dev/null
"$D" diff --json --shard 2/2 $P "$Y" >"$tmp/y2.json" 2>/dev/null
grep -q '"machines_total": [1-9]' "$tmp/y1.json" &&
	[ "$(grep '"machines_total"' "$tmp/y1.json")" = "$(grep '"machines_total"' "$tmp/y2.json")" ] ||
	bad "the two directories do not hold as many machines: a weak test"
"$D" merge "$tmp/y1.json" "$tmp/y2.json" >"$tmp/m.json" 2>"$tmp/err"
[ $? -eq 2 ] && [ ! -s "$tmp/m.json" ] &&
	grep -q "y2\.json: not a shard of the same run as .*y1\.json: \"fleet\" differs" "$tmp/err" &&
	ok "merge refuses shards of two directories" ||
	bad "merge joined shards of two directories"
# the same directory, a machine renamed between the shards' runs
"$D" diff --json --shard 1/2 $P "$Y" >"$tmp/y1.json" 2>/dev/null
mv "$Y/skylake-plx.yaml" "$Y/a-skylake-plx.yaml"
"$D" diff --json --shard 2/2 $P "$Y" >"$tmp/y2.json" 2>/dev/null
"$D" merge "$tmp/y1.json" "$tmp/y2.json" >/dev/null 2>"$tmp/err"
[ $? -eq 2 ] && grep -q '"fleet" differs' "$tmp/err" &&
	ok "merge refuses shards of a directory that changed between them" ||
	bad "merge joined shards of a directory that changed between them"
# another N: shard 1/2 ({0, 2}) and shard 2/3 ({1}) of three machines
# hold each machine once, and are still no one run
set -- "$F/yaml/skylake-plx.yaml" "$F/yaml/xeon-e5v3.yaml" "$F/yaml/arm64/altra-smmu.yaml"
"$D" diff --json --shard 1/2 $P "$@" >"$tmp/n1.json" 2>/dev/null
"$D" diff --json --shard 2/3 $P "$@" >"$tmp/n2.json" 2>/dev/null
"$D" merge "$tmp/n1.json" "$tmp/n2.json" >/dev/null 2>"$tmp/err"
[ $? -eq 2 ] && grep -q '"shard" differs (K/2 in .*n1\.json, K/3 in .*n2\.json)' "$tmp/err" &&
	ok "merge refuses shards cut another number of ways" ||
	bad "merge joined --shard 1/2 with --shard 2/3"
"$D" diff --json --shard 3/3 $P "$@" >"$tmp/n3.json" 2>/dev/null
"$D" diff --json --shard 1/3 $P "$@" >"$tmp/n1.json" 2>/dev/null
"$D" diff --json $P "$@" >"$tmp/n.json" 2>/dev/null
"$D" merge "$tmp/n1.json" "$tmp/n2.json" "$tmp/n3.json" >"$tmp/m.json" &&
	cmp -s "$tmp/m.json" "$tmp/n.json" && ok "merge of machines named one by one" ||
	bad "merge of machines named one by one differs from the unsharded run"
# other options (audit --all, --assume-p2pmem)
"$D" audit --json --all --assume-p2pmem --shard 1/40 "$F" >"$tmp/o.json" 2>/dev/null
"$D" merge "$tmp/o.json" "$tmp/a2.json" >/dev/null 2>"$tmp/err"
[ $? -eq 2 ] &&
	grep -q '"options" differs (--all --assume-p2pmem=prefetchable in .*o\.json, --assume-p2pmem=prefetchable in' "$tmp/err" &&
	ok "merge refuses audit shards of other options (--all)" || bad "merge took audit shards with and without --all"
"$D" audit --json --shard 1/40 "$F" >"$tmp/o.json" 2>/dev/null
"$D" merge "$tmp/o.json" "$tmp/a2.json" >/dev/null 2>"$tmp/err"
[ $? -eq 2 ] && grep -q '"options" differs ("" in ' "$tmp/err" &&
	ok "merge refuses audit shards with and without --assume-p2pmem" ||
	bad "merge took audit shards with and without --assume-p2pmem"
# a shard whose "shard" is not the one its machines are of
sed 's|"shard": "1/40"|"shard": "2/40"|' "$tmp/d1.json" >"$tmp/x.json"
"$D" merge "$tmp/x.json" $(for k in $(seq 3 40); do echo "$tmp/d$k.json"; done) >/dev/null 2>"$tmp/err"
[ $? -eq 2 ] && grep -q "x\.json:[1-9][0-9]*:[1-9][0-9]*: a machine's index is not one of its shard" "$tmp/err" &&
	ok "merge refuses a shard whose machines are not its K/N's" ||
	bad "merge took a shard whose machines are not its K/N's"
sed 's|"shard": "1/40"|"shard": "1/0"|' "$tmp/d1.json" >"$tmp/x.json"
"$D" merge "$tmp/x.json" >/dev/null 2>"$tmp/err"
[ $? -eq 2 ] && grep -q "x\.json:$(grep -n '"shard": "1/0"' "$tmp/x.json" | cut -d: -f1):[0-9]*: \"shard\" is neither" "$tmp/err" &&
	ok "merge refuses a malformed \"shard\", naming its line" ||
	bad "merge took \"shard\": \"1/0\""
grep -v '"fleet"' "$tmp/d1.json" >"$tmp/x.json"
"$D" merge "$tmp/x.json" >/dev/null 2>"$tmp/err"
[ $? -eq 2 ] && grep -q 'no "fleet"' "$tmp/err" && ok "merge refuses a shard without \"fleet\"" ||
	bad "merge took a shard without \"fleet\""
"$D" merge topologies/x86_64/skylake-plx.yaml >/dev/null 2>&1
[ $? -eq 2 ] && ok "merge refuses a file that is no shard" || bad "merge took a topology"

# check --shard: the union of the shards' suites is the unsharded run's
"$D" check --json topologies tests/data/scenario/pass.suite.yaml >"$tmp/c.json" 2>/dev/null
grep '"file"' "$tmp/c.json" | sort >"$tmp/c.all"
: >"$tmp/c.union"
for k in 1 2 3 4; do
	"$D" check --json --shard $k/4 topologies tests/data/scenario/pass.suite.yaml >"$tmp/c$k.json" 2>/dev/null
	grep '"file"' "$tmp/c$k.json" >>"$tmp/c.union"
done
sort "$tmp/c.union" | cmp -s - "$tmp/c.all" && [ -s "$tmp/c.all" ] &&
	ok "check: the shards' suites are the unsharded run's, each once" ||
	bad "check: shards do not cover the suites exactly once"
cid=$(fleet_of "$tmp/c.json")
[ ${#cid} -eq 16 ] && [ "$(fleet_of "$tmp/c3.json")" = "$cid" ] &&
	grep -q '^  "shard": "3/4",$' "$tmp/c3.json" && grep -q '^  "shard": null,$' "$tmp/c.json" &&
	ok "check: shards carry \"shard\" and the unsharded run's \"fleet\"" ||
	bad "check: no \"shard\", or the shards' \"fleet\" is not the unsharded run's"
"$D" check --json --shard 3/4 topologies >"$tmp/c5.json" 2>/dev/null
[ "$(fleet_of "$tmp/c5.json")" != "$cid" ] && ok "check: another list of suites, another \"fleet\"" ||
	bad "check: other suites have the same \"fleet\""
"$D" check --shard 0/4 topologies >/dev/null 2>&1
[ $? -eq 2 ] && ok "check --shard 0/4 refused" || bad "check --shard 0/4 taken"

echo "1..$fails failures" >/dev/null
[ $fails -eq 0 ] && echo "all ok" || echo "$fails failed"
[ $fails -eq 0 ]
