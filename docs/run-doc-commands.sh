#!/bin/sh
# Re-runs the commands of a document and prints the document with their
# real output.  A command is written as
#
#   <!-- run: dmasim p2p topologies/x86_64/xeon-e5v3.yaml --provider gpu0 gpu1 -->
#   ```console
#   (anything: replaced)
#   ```
#
# and comes out as "$ COMMAND", its standard output and error, and its exit
# status when that is not 0.  Commands run with sh from REPO_TOP, with the
# directory of DMASIM first in PATH (so `dmasim` is the tool under test).
#
#   docs/run-doc-commands.sh DMASIM FILE.md [REPO_TOP] > FILE.md.new
#
# tests/doc_commands.sh checks that a document is its own output.
set -eu
dm=$1
doc=$2
top=${3:-.}
bindir=$(cd "$(dirname "$dm")" && pwd)
[ "$(basename "$dm")" = dmasim ] || {
	# a tool not named dmasim: give it that name in a private directory
	tmpbin=$(mktemp -d)
	trap 'rm -rf "$tmpbin"' EXIT
	ln -s "$(cd "$(dirname "$dm")" && pwd)/$(basename "$dm")" "$tmpbin/dmasim"
	bindir=$tmpbin
}
doc=$(cd "$(dirname "$doc")" && pwd)/$(basename "$doc")
cd "$top"
skip=0
while IFS= read -r line || [ -n "$line" ]; do
	if [ "$skip" = 1 ]; then
		[ "$line" = '```' ] && skip=2
		continue
	fi
	printf '%s\n' "$line"
	if [ "$skip" = 2 ]; then
		skip=0
	fi
	case $line in
	'<!-- run: '*' -->')
		cmd=${line#'<!-- run: '}
		cmd=${cmd%' -->'}
		IFS= read -r fence || fence=
		[ "$fence" = '```console' ] || { echo "run-doc-commands: no \`\`\`console block after: $line" >&2; exit 2; }
		printf '%s\n' '```console' "\$ $cmd"
		status=0
		out=$(PATH="$bindir:$PATH" COLUMNS=80 sh -c "$cmd" 2>&1) || status=$?
		printf '%s\n' "$out"
		[ "$status" = 0 ] || printf '(exit status %s)\n' "$status"
		printf '%s\n' '```'
		skip=1
		;;
	esac
done < "$doc"
