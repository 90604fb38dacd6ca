#!/bin/sh
# valgrind finds no leak and no memory error in `dmasim show` of every
# shipped topology, nor in `dmasim check` of every shipped suite.
# Usage: memcheck_show.sh DMASIM TOP.  Skips (passes) without valgrind.
set -u
dmasim=$1 top=$2
if ! command -v valgrind >/dev/null 2>&1; then
	echo "SKIP: valgrind is not installed (apt-get install valgrind)"
	exit 0
fi
vg="valgrind -q --leak-check=full --errors-for-leak-kinds=all --error-exitcode=9"
fail=0 n=0
for f in "$top"/topologies/*/*.yaml; do
	case $f in *.suite.yaml) continue ;; esac
	n=$((n + 1))
	$vg "$dmasim" show "$f" >/dev/null || { echo "FAIL: show $f"; fail=1; }
done
$vg "$dmasim" check --quiet "$top/topologies" >/dev/null || { echo "FAIL: check"; fail=1; }
[ $fail = 0 ] && echo "valgrind: no leak or error in show of $n topologies and check of all suites"
exit $fail
