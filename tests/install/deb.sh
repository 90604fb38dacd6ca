#!/bin/sh
# The Debian package: `cpack -G DEB` in BUILD_DIR, unpacked into a staging
# directory (dpkg-deb -x: no root, no chroot), its control fields checked,
# then tests/install/check.sh on the staged /usr.
# Usage: deb.sh BUILD_DIR SOURCE_DIR
set -eu
build=$(cd "$1" && pwd) src=$(cd "$2" && pwd)
fail() { echo "FAIL: $*"; exit 1; }
rm -f "$build"/dmasim_*.deb
(cd "$build" && cpack -G DEB >"$build/cpack.log" 2>&1) || { cat "$build/cpack.log"; fail "cpack -G DEB"; }
deb=$(ls "$build"/dmasim_*.deb)
echo "built $(basename "$deb")"
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
dpkg-deb -x "$deb" "$stage"
[ "$(dpkg-deb -f "$deb" Package)" = dmasim ] || fail "package name"
dpkg-deb -f "$deb" Depends | grep -q 'libyaml-0-2' || fail "Depends lacks libyaml-0-2"
dpkg-deb -c "$deb" | grep ' \./usr/bin/dmasim$' >/dev/null || fail "no /usr/bin/dmasim in the package"
sh "$src/tests/install/check.sh" "$stage/usr" "$src"
