#!/bin/sh
# dmasim tests -- the GNU parallel recipe of docs/fleet.md, run as the page
# writes it (the block after "<!-- recipe: parallel"), on snapshots
# collected from the kernel recordings in tests/data/kernel and shipped
# topologies; the merged document must be the unsharded run's.  GNU
# parallel is required (Debian package 'parallel'): without it this test
# fails, it is not skipped.
# usage: fleet_parallel.sh DMASIM TOP
set -u
D=$1
top=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
if ! command -v parallel >/dev/null 2>&1; then
	echo "FAIL GNU parallel is not installed (apt-get install parallel)"
	exit 1
fi
mkdir "$tmp/bin" "$tmp/work" "$tmp/work/snapshots" "$tmp/tmpdir"
TMPDIR=$tmp/tmpdir && export TMPDIR
case $D in /*) ;; *) D=$PWD/$D ;; esac
ln -s "$D" "$tmp/bin/dmasim"
PATH=$tmp/bin:$PATH && export PATH
cd "$top" || exit 2
for k in tests/data/kernel/linux-6.12/*/ tests/data/kernel/linux-6.12-arm64/*/; do
	dmasim collect --quiet --root "$k" -o "$tmp/work/snapshots/$(basename "$k").tar" || exit 1
done
cp topologies/x86_64/*.yaml "$tmp/work/snapshots/"
sed -n '/^<!-- recipe: parallel/,/^```$/p' docs/fleet.md | sed '1,2d;$d' >"$tmp/recipe.sh"
[ -s "$tmp/recipe.sh" ] || { echo "FAIL no parallel recipe in docs/fleet.md"; exit 1; }
grep -q '^parallel ' "$tmp/recipe.sh" || { echo "FAIL the recipe does not run parallel"; exit 1; }
cd "$tmp/work" || exit 2
sh "$tmp/recipe.sh" 2>"$tmp/err"
st=$?
[ $st -eq 0 ] || { echo "FAIL the recipe exited $st"; cat "$tmp/err"; exit 1; }
dmasim diff --json --policy linux-4.20 --policy linux-6.12 snapshots/ >"$tmp/full.json" || exit 1
n=$(ls shard-*.json | wc -l)
[ "$n" -eq "$(nproc)" ] || { echo "FAIL $n shard files, not $(nproc)"; exit 1; }
if cmp "$tmp/full.json" fleet.json; then
	echo "ok - the parallel recipe's merged fleet.json ($n shards) is the unsharded run's"
else
	echo "FAIL the parallel recipe's fleet.json differs from the unsharded run"
	exit 1
fi
grep -q '"changed": [1-9]' fleet.json || { echo "FAIL nothing changes: a weak test"; exit 1; }
echo "ok - it has changes"
