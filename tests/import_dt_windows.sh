#!/bin/sh
# dmasim tests -- on a device-tree platform /proc/iomem names a host
# bridge's windows after its DT node ("pcie@10000000"), not "PCI Bus
# 0000:00" (of_pci_get_host_bridge_resources(), drivers/pci/of.c).  The
# arm64 machine recorded under Linux 6.12 has the windows
# 0x10000000-0x3efeffff and 0x8000000000-0xffffffffff; `import sysfs`
# must give exactly those, from iomem, not inferred ones.
#
# usage: import_dt_windows.sh DMASIM MACHINE_DIR
set -u
out=$("$1" import sysfs "$2") || { echo "import failed"; exit 1; }
wins=$(printf '%s\n' "$out" | grep -E '^      - \{ kind: mem' )
want='      - { kind: mem, cpu: 0x10000000, bus: 0x10000000, size: 769984K }  # from iomem
      - { kind: mem-pref, cpu: 0x8000000000, bus: 0x8000000000, size: 512G }  # from iomem'
if [ "$wins" != "$want" ]; then
	printf 'host-bridge windows:\n%s\nexpected:\n%s\n' "$wins" "$want"
	exit 1
fi
echo "ok: the pcie@10000000 windows"
