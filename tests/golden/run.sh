#!/bin/sh
# Golden test: run `dmasim ARGS` (ARGS from CASE/cmd) from the repository top,
# compare stdout+stderr with CASE/expected.out and the exit status with
# CASE/expected.status (default 0).  JSON output (--json in cmd) must also
# parse.  Usage: run.sh DMASIM WFCHECK TOP CASE_DIR
# Set DMASIM_GOLDEN_UPDATE=1 to rewrite expected.out from the current output.
set -u
dmasim=$1 wfcheck=$2 top=$3 case=$4
cd "$top" || exit 2
args=$(cat "$case/cmd")
out=$(mktemp)
trap 'rm -f "$out"' EXIT
# shellcheck disable=SC2086
"$dmasim" $args >"$out" 2>&1
status=$?
want_status=0
[ -f "$case/expected.status" ] && want_status=$(cat "$case/expected.status")
if [ "${DMASIM_GOLDEN_UPDATE:-}" = 1 ]; then
	cp "$out" "$case/expected.out"
	echo "$status" >"$case/expected.status"
	exit 0
fi
fail=0
if [ "$status" != "$want_status" ]; then
	echo "exit status: expected $want_status, got $status"
	fail=1
fi
if ! diff -u "$case/expected.out" "$out"; then
	fail=1
fi
case " $args " in
*" --json "*)
	if ! "$wfcheck" json "$out"; then
		echo "output is not valid JSON"
		fail=1
	fi
	;;
esac
exit $fail
