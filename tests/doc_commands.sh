#!/bin/sh
# The command outputs in a document are what the commands print today
# (docs/run-doc-commands.sh).   tests/doc_commands.sh DMASIM REPO_TOP DOC...
set -eu
dm=$1
top=$2
shift 2
tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT
rc=0
for doc in "$@"; do
	sh "$top/docs/run-doc-commands.sh" "$dm" "$top/$doc" "$top" > "$tmp"
	if cmp -s "$tmp" "$top/$doc"; then
		echo "$doc: every command's output is current"
	else
		echo "$doc: outputs differ from the commands' (regenerate with docs/run-doc-commands.sh):"
		diff "$top/$doc" "$tmp" || true
		rc=1
	fi
done
exit $rc
