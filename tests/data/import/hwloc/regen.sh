#!/bin/sh
# Regenerate the hwloc XML files here from the kernel recordings in
# tests/data/kernel/ with Debian's lstopo (package hwloc):
#   sh tests/data/import/hwloc/regen.sh tests/data/kernel
# lstopo reads a recording as a file-system root (HWLOC_FSROOT).  The
# recordings hold no CPU topology, so a one-CPU sys/devices/system is added
# to a copy first; PCI comes from the recorded sys/bus/pci/devices.
set -eu
KDIR=$1
OUT=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
for m in "$KDIR"/linux-6.12/* "$KDIR"/linux-6.12-arm64/*; do
	[ -d "$m/sys/bus/pci/devices" ] || continue
	name=$(basename "$m")
	r=$tmp/$name
	cp -r "$m" "$r" && chmod -R u+w "$r"
	c=$r/sys/devices/system/cpu
	mkdir -p "$c/cpu0/topology" "$r/sys/devices/system/node/node0/cpu0"
	echo 0 > "$c/online"; echo 0 > "$c/possible"
	echo 0 > "$c/cpu0/topology/physical_package_id"; echo 0 > "$c/cpu0/topology/core_id"
	echo 1 > "$c/cpu0/topology/thread_siblings"; echo 1 > "$c/cpu0/topology/core_siblings"
	rm -f "$OUT/$name.xml"
	HWLOC_FSROOT=$r HWLOC_THISSYSTEM=0 lstopo --of xml --whole-io "$OUT/$name.xml"
	echo "$OUT/$name.xml"
done
