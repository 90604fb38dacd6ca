#!/bin/sh
# The README's tour runs as written: every command in its ```sh block
# exits with the status its comment gives ("(exit 1)", else 0) and writes
# nothing to stderr (no stray warnings).
# Usage: readme_tour.sh DMASIM TOP
set -u
dmasim=$1 top=$2
cd "$top" || exit 2
bin=$(mktemp -d)
trap 'rm -rf "$bin"' EXIT
ln -s "$dmasim" "$bin/dmasim"
fail=0 n=0
sed -n '/^## A tour/,/^```$/p' README.md | grep '^dmasim ' > "$bin/tour"
[ -s "$bin/tour" ] || { echo "FAIL: no tour in README.md"; exit 1; }
while IFS= read -r line; do
	cmd=${line%%#*}
	want=0
	case $line in *"(exit 1)"*) want=1 ;; esac
	PATH="$bin:$PATH" sh -c "$cmd" >/dev/null 2>"$bin/err"
	st=$?
	if [ $st != $want ]; then
		echo "FAIL: $cmd: exit $st, expected $want"
		fail=1
	elif [ -s "$bin/err" ]; then
		echo "FAIL: $cmd: writes to stderr: $(head -3 "$bin/err")"
		fail=1
	else
		n=$((n + 1))
	fi
done < "$bin/tour"
[ $fail = 0 ] && echo "readme_tour: all $n commands run as the README says"
exit $fail
