#!/bin/sh
# The JSON of every command has the shape docs/json.md documents (issue
# 17): each command's real output, on shipped machines and on the cases
# that take its other branches, checked by json-shape against that page.
# Usage: json_shapes.sh DMASIM JSON_SHAPE TOP
set -u
dmasim=$1 shape=$2 top=$3
# The checker is a short-lived test tool that keeps its parse trees until
# exit; only dmasim itself is checked for leaks under the sanitizer build.
ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0
export ASAN_OPTIONS
cd "$top" || exit 2
doc=docs/json.md
out=$(mktemp) imp=$(mktemp)
trap 'rm -f "$out" "$imp"' EXIT
fail=0 n=0
# check NAME ARGS...: run dmasim ARGS (any exit status), check shape NAME
check() {
	name=$1
	shift
	"$dmasim" "$@" >"$out" 2>/dev/null
	if ! grep -q '"format": *1' "$out"; then
		echo "FAIL: dmasim $*: no \"format\": 1"
		fail=1
	fi
	if "$shape" "$doc" "$name" "$out"; then n=$((n + 1)); else
		echo "  (from: dmasim $*)"
		fail=1
	fi
}
x=topologies/x86_64 a=topologies/arm64
for t in $x/skylake-plx.yaml $x/epyc-naples.yaml $a/altra-smmu.yaml topologies/ppc64/power9-tce.yaml \
	 topologies/riscv64/sg2042-pioneer.yaml; do
	check show show --json "$t"
	check matrix matrix --json "$t"
	check audit audit --json --all "$t"
	check audit audit --json --isolation "$t"
done
check validate validate --json $x/skylake-plx.yaml $x/skylake-plx.suite.yaml tests/data/bad/$(ls tests/data/bad | head -1)
check route route --json $x/skylake-plx.yaml gpu0 0x38400001000
check route route --json $x/skylake-plx.yaml nvme0 0x38000001000
check route route --json $x/skylake-plx.yaml nic0 0x0
check upstream upstream --json $x/skylake-plx.yaml gpu0 nvme0
# an imported machine: objects with "inferred" lists (docs/topology.md)
"$dmasim" import lspci --p2pmem all-mem tests/data/import/small.dump -o "$imp" 2>/dev/null
check show show --json "$imp"
check p2p p2p --json "$imp" --provider 03:00.0 00:02.0 00:00.0
check map map --json --p2p "$imp" 03:00.0 00:02.0
check map map --json "$imp" 00:02.0 03:00.0.bar0
check audit audit --json "$imp"
check matrix matrix --json --style nvidia "$imp"
check upstream upstream --json $x/skylake-plx.yaml gpu0 nic0
check p2p p2p --json $x/skylake-plx.yaml --provider nvme0 gpu0 nic0 --verbose
check map map --json $a/altra-smmu.yaml nic1 gpu0.bar2+0x1000
check map map --json $x/skylake-plx.yaml nic0 gpu0.bar1+0x1000
check map map --json --p2p $x/skylake-plx.yaml nvme0 gpu0
check check check --json tests/data/scenario/pass.suite.yaml tests/data/scenario/fail.suite.yaml \
	tests/data/scenario/bad-device.suite.yaml
check check check --json tests/data/scenario/multi.suite.yaml tests/data/scenario/multi-fail.suite.yaml
check diff diff --json --policy linux-4.20 --policy linux-6.12 $x/*.yaml $a/altra-smmu.yaml
check audit audit --json --policy linux-5.15 tests/data/scenario/arm64-offset.yaml
check audit audit --json --assume-p2pmem topologies/x86_64 tests/data/kernel/linux-6.12/sw-vtd-intel
check audit audit --json --shard 2/3 topologies no-such-machine.yaml
check diff diff --json --shard 1/2 --policy linux-4.20 --policy linux-6.12 topologies tests/data/kernel/linux-6.1/sw-vtd-intel
# --assume-p2pmem on a machine imported from a kernel's sysfs (no p2pmem)
imp=$(mktemp)
"$dmasim" import sysfs tests/data/kernel/linux-6.12/sw-vtd-intel -o "$imp" 2>/dev/null
check audit audit --json --all --assume-p2pmem "$imp"
check audit audit --json --assume-p2pmem=all-mem "$imp"
rm -f "$imp"
check policy_list policy list --json
for p in seed-2018 linux-4.20 linux-5.15 linux-6.12 tests/data/policy/allow-amd-genoa.yaml; do
	check policy policy show --json "$p"
done
for p in $("$dmasim" policy list | awk '{ print $1 }') tests/data/policy/replace-any.yaml; do
	check policy policy show --json "$p"
done
# The checker itself: it refuses a key the page does not list, a missing
# key, a wrong type or value, and text that is not JSON.
"$dmasim" route --json $x/skylake-plx.yaml gpu0 0x38400001000 >"$out" 2>/dev/null
bad=$(mktemp)
for edit in 's/"write": true/"write": true, "extra": 1/' '/"bdf": "0000:03:00.0",/d' \
	    's/"kind": "[a-z]*"/"kind": "nowhere"/' 's/"addr": "0x38400001000"/"addr": 5/' \
	    's/"format": 1/"format": 2/' 's/"hops": \[/"hops": [ 1, /' '$d'; do
	sed "$edit" "$out" >"$bad"
	if cmp -s "$out" "$bad"; then
		echo "FAIL: the edit $edit changed nothing"
		fail=1
	elif "$shape" "$doc" route "$bad" >/dev/null; then
		echo "FAIL: json-shape accepts a route document edited by $edit"
		fail=1
	else
		n=$((n + 1))
	fi
done
rm -f "$bad"
[ $fail = 0 ] && echo "json_shapes: all $n documents have their documented shape"
exit $fail
