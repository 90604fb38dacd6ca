#!/bin/sh
# `cmake --install` puts the tool, the libraries, the headers and dmasim.pc
# in a prefix; a program built with `pkg-config --cflags --libs dmasim`
# against it loads a topology.  Usage: run.sh BUILD_DIR SOURCE_DIR
set -eu
build=$1 src=$2
prefix=$(mktemp -d)
trap 'rm -rf "$prefix"' EXIT
cmake --install "$build" --prefix "$prefix" >/dev/null
for f in bin/dmasim include/dmasim/dmasim.h; do
	[ -e "$prefix/$f" ] || { echo "FAIL: $f not installed"; exit 1; }
done
pc=$(dirname "$(find "$prefix" -name dmasim.pc | head -1)")
export PKG_CONFIG_PATH="$pc"
# shellcheck disable=SC2046
cc -std=c11 -Wall -Werror "$src/tests/install/consumer.c" -o "$prefix/consumer" \
	$(pkg-config --cflags --libs dmasim)
libdir=$(pkg-config --variable=libdir dmasim)
out=$(LD_LIBRARY_PATH="$libdir" "$prefix/consumer" "$src/topologies/x86_64/skylake-plx.yaml")
[ "$out" = "10 devices" ] || { echo "FAIL: consumer printed '$out'"; exit 1; }
"$prefix/bin/dmasim" --version
echo "installed and used through pkg-config"
