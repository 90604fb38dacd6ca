#!/bin/sh
# Every command listed by `dmasim --help` answers `--help` with exit 0 and a
# man-page style text (NAME, SYNOPSIS, DESCRIPTION, EXIT STATUS), and an
# unknown option with exit 2.  Usage: help_all.sh DMASIM
set -u
dmasim=$1
fail=0 n=0
cmds=$("$dmasim" --help | sed -n '/^Commands:/,/^$/p' | awk 'NF && !/Commands:/ {print $1}')
[ -n "$cmds" ] || { echo "FAIL: dmasim --help lists no command"; exit 1; }
for c in $cmds; do
	n=$((n + 1))
	out=$("$dmasim" "$c" --help 2>&1) || { echo "FAIL: $c --help exits non-zero"; fail=1; }
	for section in NAME SYNOPSIS DESCRIPTION "EXIT STATUS"; do
		case "$out" in
		*"$section"*) ;;
		*) echo "FAIL: $c --help has no $section section"; fail=1 ;;
		esac
	done
	"$dmasim" "$c" --no-such-option >/dev/null 2>&1
	st=$?
	[ "$st" = 2 ] || { echo "FAIL: $c --no-such-option exits $st, expected 2"; fail=1; }
done
"$dmasim" --version | grep -q '^dmasim [0-9]' || { echo "FAIL: --version"; fail=1; }
[ $fail = 0 ] && echo "all $n commands have man-page --help and reject unknown options"
exit $fail
