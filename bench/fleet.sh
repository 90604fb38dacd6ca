#!/bin/sh
# bench/fleet.sh -- fleet throughput (docs/bench.md, "Fleets"): machines
# imported and audited per second by 'dmasim audit --assume-p2pmem DIR',
# on JOBS cores (default 2) as JOBS shards run side by side.
#
# Usage: bench/fleet.sh [--machines N] [--runs R]
#   --machines N  machines of each kind (default 1000)
#   --runs R      runs of each measurement; the median is reported (default 3)
# Environment: BUILD_DIR (default: <repo>/build-bench-run), JOBS (default 2).
#
# Two fleets of N machines: sysfs snapshot archives (dmasim collect of the
# kernel recordings in tests/data/kernel, copied under N host names: real
# machines of 10 to 20 endpoints) and topologies from dmasim-gen (about
# 100 devices, a seed per machine).  The baseline in the same run is
# loading one topology's YAML N times ('dmasim validate' given the same
# file N times, in the same JOBS processes); the ratios say what a machine
# of the fleet costs next to loading a YAML file.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
build=${BUILD_DIR:-$root/build-bench-run}
jobs=${JOBS:-2}
n=1000 runs=3
while [ $# -gt 0 ]; do
	case $1 in
	--machines) n=$2; shift ;;
	--runs) runs=$2; shift ;;
	-h|--help) sed -n '2,19p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
	*) echo "bench/fleet.sh: unknown argument $1" >&2; exit 2 ;;
	esac
	shift
done
if [ ! -f "$build/CMakeCache.txt" ]; then
	cmake -S "$root" -B "$build" -DDMASIM_BUILD_TESTS=OFF >/dev/null
fi
cmake --build "$build" -j "$jobs" --target dmasim-gen dmasim-cli >/dev/null
gen=$build/bench/dmasim-gen
dmasim=$build/src/dmasim
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
mkdir "$tmp/tar" "$tmp/yaml" "$tmp/rec"

# the fleets
for k in "$root"/tests/data/kernel/*/*/; do
	"$dmasim" collect --quiet --root "$k" -o "$tmp/rec/$(basename "$(dirname "$k")")-$(basename "$k").tar"
done
set -- "$tmp"/rec/*.tar
nrec=$#
i=0
while [ $i -lt "$n" ]; do
	eval "src=\${$((i % nrec + 1))}"
	cp "$src" "$tmp/tar/host$(printf %05d $i).tar"
	"$gen" --devices 100 --depth 4 --fanout 2 --endpoints 4 --seed $((i + 1)) \
		--name "host$i" -o "$tmp/yaml/host$(printf %05d $i).yaml"
	i=$((i + 1))
done
one=$tmp/yaml/host00000.yaml
i=0 : >"$tmp/list"
while [ $i -lt "$n" ]; do echo "$one" >>"$tmp/list"; i=$((i + 1)); done

# JOBS shards side by side; prints the wall time in seconds
now() { date +%s.%N; }
sharded() {
	t0=$(now)
	k=1
	while [ $k -le "$jobs" ]; do
		"$@" --shard "$k/$jobs" >/dev/null 2>&1 &
		k=$((k + 1))
	done
	wait
	t1=$(now)
	awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }'
}
baseline() {
	t0=$(now)
	# the same file N times, cut into JOBS slices of the list
	k=0
	while [ $k -lt "$jobs" ]; do
		awk -v k=$k -v j="$jobs" 'NR % j == k' "$tmp/list" | xargs "$dmasim" validate >/dev/null 2>&1 &
		k=$((k + 1))
	done
	wait
	t1=$(now)
	awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }'
}
median() { sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
r=0 : >"$tmp/b" : >"$tmp/t" : >"$tmp/y"
while [ $r -lt "$runs" ]; do
	baseline >>"$tmp/b"
	sharded "$dmasim" audit --json --assume-p2pmem "$tmp/tar" >>"$tmp/t"
	sharded "$dmasim" audit --json --assume-p2pmem "$tmp/yaml" >>"$tmp/y"
	r=$((r + 1))
done
b=$(median <"$tmp/b") t=$(median <"$tmp/t") y=$(median <"$tmp/y")
printf 'fleet throughput, %s machines per fleet, %s processes, median of %s runs\n' "$n" "$jobs" "$runs"
awk -v n="$n" -v b="$b" -v t="$t" -v y="$y" 'BEGIN {
	f = "%-46s %8.2f s %9.0f machines/s %7.2fx\n"
	printf f, "baseline: one YAML loaded " n " times (validate)", b, n / b, 1
	printf f, "audit of " n " snapshot archives (import+audit)", t, n / t, t / b
	printf f, "audit of " n " generated YAML topologies", y, n / y, y / b
}'
