#!/bin/sh
# dmasim tests -- `dmasim collect` and `dmasim import sysfs FILE.tar`
# (docs/import.md, "Snapshots").
#
# usage: collect.sh DMASIM
#
# A two-function machine is written as a sysfs/procfs copy; collect must
# archive exactly what import sysfs reads, the archive must import to the
# same topology as the directory, twice the same archive must come out, and
# hostile archives (absolute or '..' names, a link to write through, a
# FIFO, a truncated archive) must be refused with exit 2, writing nothing
# outside the temporary directory.
set -u
DMASIM=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
mkdir "$tmp/tmpdir" && TMPDIR=$tmp/tmpdir && export TMPDIR
fails=0
ok() { echo "ok - $1"; }
bad() { echo "FAIL $1"; fails=$((fails + 1)); }

# hex bytes -> binary file
hex() {
	out=$1; shift
	fmt=
	for b in "$@"; do fmt="$fmt\\$(printf '%03o' "0x$b")"; done
	printf "$fmt" > "$out"
}
zeros() { n=$1; s=; while [ "$n" -gt 0 ]; do s="$s 00"; n=$((n - 1)); done; echo "$s"; }

R=$tmp/root
D=$R/sys/bus/pci/devices
mkdir -p "$D/0000:00:00.0" "$D/0000:00:02.0" "$R/proc" "$R/sys/kernel/iommu_groups/3" \
	"$R/sys/kernel/iommu_groups/4"
# 00:00.0 host bridge 8086:29c0, class 060000
hex "$D/0000:00:00.0/config" 86 80 c0 29 06 00 10 00 02 00 00 06 00 00 00 00 $(zeros 48)
# 00:02.0 endpoint 8086:10d3, class 020000, BAR0 32-bit memory at 0xfe000000
hex "$D/0000:00:02.0/config" 86 80 d3 10 06 00 10 00 00 00 00 02 00 00 00 00 \
	00 00 00 fe $(zeros 44)
z='0x0000000000000000 0x0000000000000000 0x0000000000000000'
printf '%s\n' "$z" "$z" "$z" "$z" "$z" "$z" "$z" > "$D/0000:00:00.0/resource"
printf '%s\n' '0x00000000fe000000 0x00000000fe0fffff 0x0000000000040200' \
	"$z" "$z" "$z" "$z" "$z" "$z" > "$D/0000:00:02.0/resource"
echo 0x8086 > "$D/0000:00:00.0/vendor"; echo 0x29c0 > "$D/0000:00:00.0/device"
echo 0x8086 > "$D/0000:00:02.0/vendor"; echo 0x10d3 > "$D/0000:00:02.0/device"
echo -1 > "$D/0000:00:02.0/numa_node"
ln -s ../../../../kernel/iommu_groups/3 "$D/0000:00:00.0/iommu_group"
ln -s ../../../../kernel/iommu_groups/4 "$D/0000:00:02.0/iommu_group"
echo DMA > "$R/sys/kernel/iommu_groups/3/type"
echo DMA > "$R/sys/kernel/iommu_groups/4/type"
cat > "$R/proc/iomem" <<'IOMEM'
00001000-0009ffff : System RAM
00100000-3fffffff : System RAM
fe000000-feffffff : PCI Bus 0000:00
  fe000000-fe0fffff : 0000:00:02.0
IOMEM
printf 'processor\t: 0\nvendor_id\t: GenuineIntel\ncpu family\t: 6\n' > "$R/proc/cpuinfo"
echo 'Linux version 6.12.0 (test)' > "$R/proc/version"

# 1. collect writes the files import reads, and says how many functions
if "$DMASIM" collect --root "$R" -o "$tmp/a.tar" 2> "$tmp/err"; then ok "collect exits 0"
else bad "collect exits $?: $(cat "$tmp/err")"; fi
grep -q '2 functions' "$tmp/err" && ok "collect counts 2 functions" || bad "collect said: $(cat "$tmp/err")"
grep -q 'less than 256 bytes' "$tmp/err" && ok "collect notes the 64-byte configs (needs root)" \
	|| bad "no note about short config space"
tar tvf "$tmp/a.tar" > "$tmp/list" 2>&1 || bad "tar cannot list the archive"
for m in sys/bus/pci/devices/0000:00:02.0/config sys/bus/pci/devices/0000:00:02.0/resource \
	 sys/bus/pci/devices/0000:00:02.0/numa_node sys/kernel/iommu_groups/4/type \
	 proc/iomem proc/cpuinfo proc/version; do
	grep -q " $m\$" "$tmp/list" && ok "archive holds $m" || bad "archive lacks $m"
done
grep -q 'sys/bus/pci/devices/0000:00:02.0/iommu_group -> ../../../../kernel/iommu_groups/4' \
	"$tmp/list" && ok "iommu_group is archived as its link" || bad "iommu_group link lost"
grep -q 'proc/cmdline' "$tmp/list" && bad "a missing file was archived" || ok "missing files are left out"

# 2. the same machine gives the same archive
"$DMASIM" collect --root "$R" -o "$tmp/b.tar" -q 2> "$tmp/err2"
cmp -s "$tmp/a.tar" "$tmp/b.tar" && ok "two snapshots are identical" || bad "snapshots differ"
[ -s "$tmp/err2" ] && bad "--quiet printed: $(cat "$tmp/err2")" || ok "--quiet is quiet"

# 3. the archive imports as the directory does
"$DMASIM" import sysfs "$R" --name m > "$tmp/dir.yaml" 2>&1; rd=$?
"$DMASIM" import sysfs "$tmp/a.tar" --name m > "$tmp/tar.yaml" 2>&1; rt=$?
[ "$rd" = 0 ] && [ "$rt" = 0 ] && ok "both imports exit 0" || bad "imports exit $rd and $rt: $(cat "$tmp/tar.yaml")"
tail -n +2 "$tmp/dir.yaml" > "$tmp/d"; tail -n +2 "$tmp/tar.yaml" > "$tmp/t"
cmp -s "$tmp/d" "$tmp/t" && ok "tarball and directory import the same" || bad "imports differ: $(diff "$tmp/d" "$tmp/t" | head -5)"
grep -q "from $tmp/a.tar/sys/bus/pci/devices" "$tmp/tar.yaml" && ok "the YAML names the archive" \
	|| bad "header: $(head -1 "$tmp/tar.yaml")"
grep -q 'dmasim-import-' "$tmp/tar.yaml" && bad "the temporary directory leaks into the YAML" || ok "no temporary path in the YAML"
ls "${TMPDIR:-/tmp}" | grep -q "^dmasim-import-" && bad "a temporary directory is left behind" || ok "temporary directory removed"

# 4. hostile archives: exit 2, nothing written outside
refuse() {   # name archive expected-message
	out=$("$DMASIM" import sysfs "$2" 2>&1); rc=$?
	if [ "$rc" = 2 ] && echo "$out" | grep -q "$3"; then ok "$1 refused"
	else bad "$1: exit $rc: $out"; fi
}
mkdir -p "$tmp/h/outside" "$tmp/h/a/sys" "$tmp/h/b"
(cd "$tmp/h/a" && echo x > sys/x && tar cf "$tmp/dotdot.tar" -P ../a/sys/x 2>/dev/null)
refuse "a '..' name" "$tmp/dotdot.tar" "outside the target"
tar cf "$tmp/abs.tar" -P "$tmp/h/a/sys/x" 2>/dev/null
refuse "an absolute name" "$tmp/abs.tar" "outside the target"
ln -s "$tmp/h/outside" "$tmp/h/b/sys"
(cd "$tmp/h/b" && tar cf "$tmp/link.tar" sys && cd "$tmp/h/a" && tar rf "$tmp/link.tar" sys/x)
refuse "writing through a link" "$tmp/link.tar" "symbolic link"
[ -e "$tmp/h/outside/x" ] && bad "a file was written through the link" || ok "nothing written through the link"
mkfifo "$tmp/h/fifo" && (cd "$tmp/h" && tar cf "$tmp/fifo.tar" fifo)
refuse "a FIFO entry" "$tmp/fifo.tar" "FIFO"
head -c 3000 "$tmp/a.tar" > "$tmp/trunc.tar"
refuse "a truncated archive" "$tmp/trunc.tar" "ends"
ls "${TMPDIR:-/tmp}" | grep -q "^dmasim-import-" && bad "a refused archive left a temporary directory" \
	|| ok "refused archives leave nothing behind"

# 5. write errors and usage
"$DMASIM" collect --root "$R" -o /dev/full 2> "$tmp/err"; rc=$?
[ "$rc" = 2 ] && grep -q 'cannot write' "$tmp/err" && ok "a full disk is an error" || bad "/dev/full: exit $rc"
"$DMASIM" collect --root "$tmp/nowhere" -o "$tmp/x.tar" 2> "$tmp/err"; rc=$?
[ "$rc" = 2 ] && grep -q 'is not a directory' "$tmp/err" && ok "no sysfs is an error" || bad "no sysfs: exit $rc"
"$DMASIM" collect --help | grep -q 'needs root' && ok "--help says which files need root" || bad "--help"

# 6. this machine, as it is
if [ -d /sys/bus/pci/devices ]; then
	"$DMASIM" collect -o "$tmp/here.tar" -q; rc=$?
	[ "$rc" = 0 ] && tar tf "$tmp/here.tar" | grep -q '^proc/cpuinfo$' && ok "collect on this machine" \
		|| bad "collect on this machine: exit $rc"
fi

[ "$fails" = 0 ] && echo "all passed" || echo "$fails failed"
[ "$fails" = 0 ]
