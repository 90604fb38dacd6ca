#!/bin/sh
# `cmake --install` into a fresh prefix, then tests/install/check.sh: the
# tool, manual pages, completion, topologies, and the library through
# pkg-config and find_package.  Usage: run.sh BUILD_DIR SOURCE_DIR
set -eu
build=$1 src=$2
prefix=$(mktemp -d)
trap 'rm -rf "$prefix"' EXIT
cmake --install "$build" --prefix "$prefix" >/dev/null
sh "$src/tests/install/check.sh" "$prefix" "$src"
