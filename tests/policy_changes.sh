#!/bin/sh
# docs/policy.md's "What changed when" table is the output of
# docs/gen-policy-changes.sh (dmasim policy list/show and dmasim diff on the
# shipped topologies).   tests/policy_changes.sh DMASIM REPO_TOP
set -eu
dm=$1
top=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
sh "$top/docs/gen-policy-changes.sh" "$dm" "$top" > "$tmp/want"
sed -n '/^<!-- BEGIN gen-policy-changes -->$/,/^<!-- END gen-policy-changes -->$/p' \
	"$top/docs/policy.md" | sed '1d;$d' > "$tmp/got"
[ -s "$tmp/want" ] || { echo "the generator printed nothing"; exit 1; }
if ! cmp -s "$tmp/want" "$tmp/got"; then
	echo "docs/policy.md: the 'What changed when' table is out of date; regenerate it with docs/gen-policy-changes.sh:"
	diff "$tmp/got" "$tmp/want" || true
	exit 1
fi
echo "docs/policy.md: the 'What changed when' table matches ($(wc -l < "$tmp/want") lines)"
