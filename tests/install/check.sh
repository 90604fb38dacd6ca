#!/bin/sh
# What an installed dmasim must hold and do, wherever it was installed to
# (PREFIX: a `cmake --install` prefix, or usr/ of an unpacked .deb):
# the tool, its manual pages (one per command of --help) and bash
# completion, the shipped topologies (the installed `dmasim check` passes
# on them), and the library, used by a C program through pkg-config and
# through CMake's find_package.  Usage: check.sh PREFIX SOURCE_DIR
set -eu
prefix=$1 src=$2
fail() { echo "FAIL: $*"; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

dmasim=$prefix/bin/dmasim
[ -x "$dmasim" ] || fail "bin/dmasim not installed"
"$dmasim" --version
for f in include/dmasim/dmasim.h share/bash-completion/completions/dmasim \
	share/man/man1/dmasim.1.gz; do
	[ -e "$prefix/$f" ] || fail "$f not installed"
done
pc=$(find "$prefix" -name dmasim.pc | head -1)
[ -n "$pc" ] || fail "dmasim.pc not installed"
cmakedir=$(dirname "$(find "$prefix" -name dmasimConfig.cmake | head -1)")
[ -f "$cmakedir/dmasimConfig.cmake" ] || fail "dmasimConfig.cmake not installed"

# A manual page per command, each with its NAME line, none empty.
cmds=$("$dmasim" --help | awk '/^Commands:/ { on = 1; next } on && /^$/ { exit } on { print $1 }')
n=0
for c in "" $cmds; do
	page=$prefix/share/man/man1/dmasim${c:+-$c}.1.gz
	[ -f "$page" ] || fail "no manual page $page"
	gzip -dc "$page" | grep -q "^dmasim${c:+\\\\-$c} \\\\- ." || fail "$page: no NAME line"
	gzip -dc "$page" | grep -q '^\.SH DESCRIPTION' || fail "$page: no DESCRIPTION"
	n=$((n + 1))
done
echo "$n manual pages"

# The shipped topologies and suites pass under the installed tool.
"$dmasim" check --quiet "$prefix/share/dmasim/topologies" >"$work/check.tap" ||
	{ cat "$work/check.tap"; fail "dmasim check on the installed topologies"; }
tail -1 "$work/check.tap"

# A C program through pkg-config ...
PKG_CONFIG_PATH=$(dirname "$pc")
export PKG_CONFIG_PATH
# shellcheck disable=SC2046
cc -std=c11 -Wall -Werror "$src/tests/install/consumer.c" -o "$work/consumer" \
	$(pkg-config --cflags --libs dmasim)
libdir=$(pkg-config --variable=libdir dmasim)
out=$(LD_LIBRARY_PATH="$libdir" "$work/consumer" "$src/topologies/x86_64/skylake-plx.yaml")
[ "$out" = "10 devices" ] || fail "pkg-config consumer printed '$out'"
echo "pkg-config: $out"

# ... and through find_package(dmasim), against the shared library.
cmake -S "$src/tests/install/cmake-consumer" -B "$work/cm" \
	-DCMAKE_PREFIX_PATH="$prefix" -DCMAKE_BUILD_TYPE=Release >/dev/null ||
	fail "find_package(dmasim) failed"
cmake --build "$work/cm" >/dev/null || fail "the find_package consumer did not build"
out=$(LD_LIBRARY_PATH="$libdir" "$work/cm/consumer" "$src/topologies/x86_64/skylake-plx.yaml")
[ "$out" = "10 devices" ] || fail "find_package consumer printed '$out'"
echo "find_package: $out"

# The installed completion completes for the installed tool.
bash "$src/tests/install/completion.sh" "$prefix/share/bash-completion/completions/dmasim" \
	"$dmasim" "$src" >"$work/completion.log" 2>&1 ||
	{ cat "$work/completion.log"; fail "bash completion of the installed tool"; }
grep -v '^ok:' "$work/completion.log"
echo "installed in $prefix and used"
