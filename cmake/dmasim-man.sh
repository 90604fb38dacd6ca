#!/bin/sh
# dmasim-man.sh DMASIM OUTDIR VERSION -- write the manual pages dmasim.1 and
# dmasim-COMMAND.1 for every command that 'DMASIM --help' lists, made from
# the --help texts, into OUTDIR (gzipped, as Debian ships them).
#
# A command's --help is laid out like a manual page already (NAME, SYNOPSIS,
# DESCRIPTION, OPTIONS, EXIT STATUS, EXAMPLE): each upper-case heading
# becomes a section, NAME the whatis line, the rest keeps its line layout.
# The top-level --help ('Usage: ...', 'Commands:', ...) is mapped to the
# same sections.
set -eu
dmasim=$1 out=$2 version=$3
mkdir -p "$out"
rm -f "$out"/*.1 "$out"/*.1.gz

# roff-escape standard input: backslashes, dots and quotes that start a
# line (after the indentation that is taken off later), and
# hyphens that start options (so that they are minus signs).
esc()
{
	sed -e 's/\\/\\e/g' -e "s/^\( *\)\([.']\)/\1\\\\\&\2/" \
	    -e 's/\(^\|[][ (|,]\)-/\1\\-/g' -e 's/\\--/\\-\\-/g'
}

header()
{
	printf '.TH %s 1 "" "dmasim %s" "User Commands"\n' "$1" "$version"
	printf '.\\" Generated from the --help text by cmake/dmasim-man.sh; do not edit.\n'
}

cmds=$("$dmasim" --help | awk '/^Commands:/ { on = 1; next } on && /^$/ { exit }
                                on && /^  [a-z]/ { print $1 }')
[ -n "$cmds" ] || { echo "dmasim-man.sh: no commands in '$dmasim --help'" >&2; exit 1; }

# dmasim.1: the tool, its commands and global options.
{
	header DMASIM
	echo ".SH NAME"
	echo "dmasim \\- simulate PCI Express fabrics and the Linux kernel's peer\\-to\\-peer DMA"
	"$dmasim" --help | esc | awk '
		function sh(h) { if (nf) print ".fi"; print ".SH " h; print ".nf"; nf = 1; skip = 1; blank = 0 }
		/^Usage: / { sub(/^Usage: /, ""); sh("SYNOPSIS"); print; sh("DESCRIPTION"); next }
		/^[A-Z][^:]*:$/ { h = toupper($0); sub(/:$/, "", h); sub(/ \(.*\)/, "", h); sh(h); next }
		/^Exit status: / { sh("EXIT STATUS"); sub(/^Exit status: /, "") }
		/^Formats: / { sh("FILES"); sub(/^Formats: /, "") }
		/^$/ { if (!skip) blank++; next }
		{ for (; blank > 0; blank--) print ""; skip = 0; print }
		END { if (nf) print ".fi" }'
	echo ".SH SEE ALSO"
	first=1
	for c in $cmds; do
		[ $first = 1 ] || printf ',\n'
		printf '.BR dmasim\\-%s (1)' "$c"
		first=0
	done
	printf '\n'
} > "$out/dmasim.1"

# dmasim-COMMAND.1: one per command.
for c in $cmds; do
	upper=$(echo "dmasim-$c" | tr '[:lower:]' '[:upper:]')
	{
		header "$upper"
		"$dmasim" "$c" --help | esc | awk -v cmd="$c" '
			function flush() { if (nf) { print ".fi"; nf = 0 } blank = 0 }
			/^[A-Z][A-Z ]*$/ { flush(); sec = $0; print ".SH " $0; next }
			sec == "NAME" && /^ +dmasim / { sub(/^ +dmasim [^ ]+ \\- /, "")
				printf "dmasim\\-%s \\- %s", cmd, $0; cont = 1; next }
			sec == "NAME" && cont && /^ +[^ ]/ { sub(/^ +/, " "); printf "%s", $0; next }
			sec == "NAME" { if (cont) print ""; cont = 0; next }
			/^$/ { if (nf) blank++; next }
			{ if (!nf) { print ".nf"; nf = 1 } for (; blank > 0; blank--) print ""
			  sub(/^    /, ""); print }
			END { if (cont) print ""; flush() }'
		echo ".SH SEE ALSO"
		echo ".BR dmasim (1)"
	} > "$out/dmasim-$c.1"
done

for f in "$out"/*.1; do
	gzip -9n "$f"
done
