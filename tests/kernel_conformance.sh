#!/bin/sh
# dmasim tests -- conformance with real kernels.  Every machine folder under
# DATA (a folder holding dmesg, cmdline and a sysfs snapshot; see
# tests/data/kernel/README.md) is imported with `dmasim import sysfs` and
# checked by kconform under the row of the kernel that recorded it (the
# "Linux version X.Y" line of its dmesg names the row linux-X.Y): every
# pair's map type, distance and warnings, the IOMMU groups and the ACS
# control words are the kernel's.
#
# usage: kernel_conformance.sh DMASIM KCONFORM DATA
set -u
DMASIM=$1
KCONFORM=$2
DATA=$3

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
fails=0
n=0

# The policy row of the kernel that wrote dmesg $1: linux-MAJOR.MINOR.
kernel_row() {
	sed -n 's/.*Linux version \([0-9][0-9]*\)\.\([0-9][0-9]*\)[^0-9].*/linux-\1.\2/p' "$1" | head -n 1
}

for dmesg in $(find "$DATA" -name dmesg -type f | sort); do
	dir=$(dirname "$dmesg")
	row=$(kernel_row "$dmesg")
	n=$((n + 1))
	if [ -z "$row" ]; then
		echo "not ok: $dir: no 'Linux version' line in dmesg"
		fails=$((fails + 1))
		continue
	fi
	yaml=$tmp/$n.yaml
	if ! "$DMASIM" import sysfs "$dir" -o "$yaml" >"$tmp/err" 2>&1; then
		echo "not ok: $dir: dmasim import sysfs failed:"
		cat "$tmp/err"
		fails=$((fails + 1))
		continue
	fi
	if "$KCONFORM" "$yaml" "$dmesg" "$row"; then
		echo "ok: $dir"
	else
		echo "not ok: $dir"
		fails=$((fails + 1))
	fi
done
if [ "$n" -eq 0 ]; then
	echo "not ok: no machine folders under $DATA"
	exit 1
fi
echo "$n machines, $fails failed"
[ "$fails" -eq 0 ]
