#!/bin/sh
# Prints the "What changed when" table of docs/policy.md: for every two
# adjacent built-in policies, the fields whose values differ (with the
# newer row's note on where the value comes from, as `dmasim policy show`
# prints it) and the endpoint pairs of the shipped topologies whose
# decision or mapping verdict changes (`dmasim diff`).
#
#   docs/gen-policy-changes.sh DMASIM [REPO_TOP]
#
# tests/policy_changes.sh checks that docs/policy.md holds this output.
set -eu
dm=$1
cd "${2:-.}"

# `policy show NAME` as lines "path<TAB>value<TAB>note", one per field
# (list items joined into their field's value).
flat() {
	"$dm" policy show "$1" | awk '
	function flush() { if (path != "") print path "\t" val "\t" note; path = "" }
	/^ *#/ { if ($0 ~ /^  +#/) { c = $0; sub(/^ *# /, "", c) } ; next }
	/^policy:/ || /^dmasim:/ { next }
	{
		match($0, /^ */); ind = RLENGTH; line = substr($0, ind + 1)
		if (line ~ /^- /) { val = val " " substr(line, 3); next }
		flush()
		key = line; sub(/:.*/, "", key)
		v = line; sub(/^[^:]*: ?/, "", v)
		if (ind == 2) { top = key; path = key } else path = top "." key
		val = v; note = c; c = ""
	}
	END { flush() }'
}

pairs() {
	"$dm" diff --policy "$1" --policy "$2" topologies/*/*.yaml 2>/dev/null | awk '
	/^topologies\/.*: [0-9]+ of [0-9]+ pairs change$/ {
		if ($2 > 0) { f = $1; sub(/:$/, "", f); sub(/.*\//, "", f); sub(/\.yaml$/, "", f)
			list = list (list == "" ? "" : ", ") f " " $2 }
	}
	/^[0-9]+ of [0-9]+ pairs change$/ { total = $1 " of " $3 }
	END { printf "%s%s", total, (list == "" ? "" : " (" list ")") }'
}

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
echo "| from -> to | what changed (field: where the newer value comes from) | pairs that change on the shipped topologies |"
echo "|---|---|---|"
prev=
for row in $("$dm" policy list | awk '{ print $1 }'); do
	flat "$row" > "$tmp/$row"
	if [ -n "$prev" ]; then
		changes=$(awk -F '\t' '
			NR == FNR { old[$1] = $2; next }
			$1 != "name" && $1 != "base" && old[$1] != $2 {
				printf "%s`%s`: %s", sep, $1, $3; sep = "<br>" }' \
			"$tmp/$prev" "$tmp/$row")
		echo "| $prev -> $row | ${changes:-(no field)} | $(pairs "$prev" "$row") |"
	fi
	prev=$row
done
