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
# ACS as the kernel sets it (docs/policy.md): the same machine with every
# ACS control word set to `ctrl: auto`, starting from the firmware word, and
# the machine's command line in `kernel:`, must give the words the kernel
# wrote.  The firmware word is what the machine's -none- twin (the same
# machine without an IOMMU) recorded; without a twin, 0, the reset value of
# QEMU's ports that every -none- recording shows.
acs_bits() {
	w=$(($1)) s= i=0
	for b in sv tb rr cr uf ec dt; do
		[ $(((w >> i) & 1)) -eq 1 ] && s="$s${s:+, }$b"
		i=$((i + 1))
	done
	echo "$s"
}
# "BDF hexword" per DEV line of dmesg $1.
dev_words() {
	sed -n 's/.*P2PORACLE DEV \([0-9a-f:.]*\) .* acs_ctrl \(0x[0-9a-f]*\).*/\1 \2/p' "$1"
}
n2=0
for dmesg in $(find "$DATA" -name dmesg -type f | sort); do
	dir=$(dirname "$dmesg")
	row=$(kernel_row "$dmesg")
	n2=$((n2 + 1))
	[ -n "$row" ] || continue
	"$DMASIM" import sysfs "$dir" -o "$tmp/m.yaml" >/dev/null 2>&1 || continue
	twin=$(echo "$dir" | sed 's/-vtd-/-none-/')
	: >"$tmp/fw"
	if [ "$twin" != "$dir" ] && [ -f "$twin/dmesg" ]; then
		dev_words "$twin/dmesg" | while read -r bdf word; do
			echo "$bdf $(acs_bits "$word")"
		done >"$tmp/fw"
	fi
	cmdline=$(cat "$dir/cmdline" 2>/dev/null | sed 's/\\/\\\\/g; s/"/\\"/g')
	awk -v fwfile="$tmp/fw" -v cmdline="$cmdline" '
		BEGIN { while ((getline l < fwfile) > 0) { k = l; sub(/ .*/, "", k); v = l; sub(/^[^ ]* ?/, "", v); fw[k] = v } }
		/^arch:/ { print; print "kernel: { cmdline: \"" cmdline "\" }"; next }
		/- bdf: / { bdf = $NF }
		/acs: \{ cap: / { sub(/ctrl: \[[^]]*\]/, "ctrl: auto, firmware: [" fw[bdf] "]") }
		{ print }' "$tmp/m.yaml" >"$tmp/auto.yaml"
	if "$KCONFORM" "$tmp/auto.yaml" "$dmesg" "$row" --acs-only; then
		echo "ok: $dir: ctrl: auto"
	else
		echo "not ok: $dir: ctrl: auto"
		fails=$((fails + 1))
	fi
done

if [ "$n" -eq 0 ]; then
	echo "not ok: no machine folders under $DATA"
	exit 1
fi
echo "$n machines, $fails failed"
[ "$fails" -eq 0 ]
