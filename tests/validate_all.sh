#!/bin/sh
# Every file under topologies/ validates (topologies and suites alike); every
# file under tests/data/bad/ is rejected with exit 2 and a file:line:column
# error.  Usage: validate_all.sh DMASIM TOP
set -u
dmasim=$1 top=$2
fail=0
for f in "$top"/topologies/*/*.yaml; do
	if ! out=$("$dmasim" validate "$f" 2>&1); then
		echo "FAIL: $f should validate: $out"
		fail=1
	fi
done
for f in "$top"/tests/data/bad/*.yaml; do
	out=$("$dmasim" validate "$f" 2>&1)
	status=$?
	if [ "$status" != 2 ]; then
		echo "FAIL: $f: exit $status, expected 2"
		fail=1
	fi
	case "$out" in
	"$f":[0-9]*:[0-9]*": error: "*) ;;
	*) echo "FAIL: $f: no file:line:column error: $out"; fail=1 ;;
	esac
done
[ $fail = 0 ] && echo "all shipped files validate; all bad files are rejected with a position"
exit $fail
