#!/bin/sh
# dmasim tests -- '-o -' is standard output for every command that writes
# a file (collect, import, export, as for report), and a snapshot given
# where one topology is expected is named for what it is
# (docs/import.md, "Snapshots").
#
# usage: out_dash.sh DMASIM REPO_TOP
#
# Runs in an empty directory, so that a file named '-' would show.
set -u
DMASIM=$1
TOP=$2
case $DMASIM in */*) DMASIM=$(cd "$(dirname "$DMASIM")" && pwd)/$(basename "$DMASIM") ;; esac
TOP=$(cd "$TOP" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
mkdir "$tmp/tmpdir" && TMPDIR=$tmp/tmpdir && export TMPDIR
cd "$tmp" || exit 1
fails=0
ok() { echo "ok - $1"; }
bad() { echo "FAIL $1"; fails=$((fails + 1)); }
no_dash() {   # what
	if [ -e ./- ]; then bad "$1 made a file named '-'"; rm -f ./-; else ok "$1 made no file named '-'"; fi
}
T=$TOP/topologies/x86_64/skylake-plx.yaml
DUMP=$TOP/tests/data/import/small.dump
XML=$TOP/tests/data/import/hwloc/arm-smmu.xml

# A one-function copy of sysfs and procfs: a host bridge 8086:29c0.
R=$tmp/root
D=$R/sys/bus/pci/devices/0000:00:00.0
mkdir -p "$D" "$R/proc"
fmt='\206\200\300\051\006\000\020\000\002\000\000\006'
i=12; while [ $i -lt 64 ]; do fmt="$fmt\\000"; i=$((i + 1)); done
printf "$fmt" > "$D/config"
echo 0x8086 > "$D/vendor"; echo 0x29c0 > "$D/device"
printf 'processor\t: 0\nvendor_id\t: GenuineIntel\n' > "$R/proc/cpuinfo"

# 1. collect -o -: the archive on stdout, the messages on stderr
"$DMASIM" collect --root "$R" -o a.tar -q || bad "collect -o a.tar exits $?"
"$DMASIM" collect --root "$R" -o - > b.tar 2> err; rc=$?
[ "$rc" = 0 ] && ok "collect -o - exits 0" || bad "collect -o - exits $rc: $(cat err)"
no_dash "collect -o -"
cmp -s a.tar b.tar && ok "collect -o - writes the archive to stdout" || bad "collect -o - wrote $(wc -c < b.tar) bytes"
grep -q -- '-> standard output' err && ok "collect -o - says standard output on stderr" \
	|| bad "collect -o - said: $(cat err)"
"$DMASIM" collect --root "$R" -o a2.tar > out 2> /dev/null
[ -s out ] && bad "collect -o FILE wrote to stdout" || ok "collect -o FILE leaves stdout empty"

# 2. import and export -o -: what they print without -o
same() {   # what, then the command (without -o)
	w=$1; shift
	"$@" > plain.out 2> /dev/null; r1=$?
	"$@" -o - > dash.out 2> err; r2=$?
	no_dash "$w -o -"
	if [ "$r1" = 0 ] && [ "$r2" = 0 ] && [ -s dash.out ] && cmp -s plain.out dash.out; then
		ok "$w -o - prints what $w prints"
	else
		bad "$w -o -: exit $r1/$r2: $(head -3 err)"
	fi
	"$@" -o file.out 2> /dev/null && cmp -s file.out dash.out && ok "$w -o FILE writes the same" \
		|| bad "$w -o FILE differs"
}
same "import lspci" "$DMASIM" import lspci "$DUMP"
same "import hwloc" "$DMASIM" import hwloc "$XML"
same "import sysfs DIR" "$DMASIM" import sysfs "$R"
same "import sysfs FILE.tar" "$DMASIM" import sysfs a.tar
same "export lspci" "$DMASIM" export lspci "$T"
same "export hwloc" "$DMASIM" export hwloc "$T"
for c in collect import export; do
	"$DMASIM" "$c" --help | grep -q "'-':" && ok "$c --help documents -o -" || bad "$c --help says nothing of '-'"
done

# 3. a snapshot where one topology is expected
cp a.tar snapshot.bin   # an archive is known by its header, not its name
cp "$T" topo.tar        # and a topology named .tar is still a topology
"$DMASIM" show topo.tar > /dev/null 2>&1 && ok "a topology named .tar loads" || bad "show topo.tar exits $?"
says() {   # what, expected text, then the command
	w=$1 want=$2; shift 2
	"$@" > /dev/null 2> err; rc=$?
	if [ "$rc" = 2 ] && grep -qF -- "$want" err; then ok "$w: exit 2, $want"
	else bad "$w: exit $rc: $(head -2 err)"; fi
}
tarmsg="snapshot.bin: error: a tar archive (dmasim collect?): make a topology with 'dmasim import sysfs FILE -o T.yaml' first"
dirmsg="root/: error: a directory, not a topology file (a sysfs snapshot? 'dmasim import sysfs DIR'; diff and audit take directories)"
for x in snapshot.bin root/; do
	case $x in *.bin) m=$tarmsg ;; *) m=$dirmsg ;; esac
	says "show $x" "$m" "$DMASIM" show "$x"
	says "matrix $x" "$m" "$DMASIM" matrix "$x"
	says "report $x" "$m" "$DMASIM" report "$x" -o r.html
	says "p2p $x" "$m" "$DMASIM" p2p "$x" --provider a b
	says "map $x" "$m" "$DMASIM" map "$x" a b
	says "route $x" "$m" "$DMASIM" route "$x" a 0x1000
	says "upstream $x" "$m" "$DMASIM" upstream "$x" a b
	says "dot $x" "$m" "$DMASIM" dot "$x"
	says "export lspci $x" "$m" "$DMASIM" export lspci "$x"
done
says "audit --isolation snapshot.bin" "$tarmsg" "$DMASIM" audit --isolation snapshot.bin
says "audit snapshot.bin" "$tarmsg" "$DMASIM" audit snapshot.bin

# 4. import sysfs given a file that is no archive; an archive by any name
says "import sysfs TOPOLOGY" \
	"topo.tar: error: neither a directory nor a tar archive (import sysfs takes a sysfs root or a 'dmasim collect' archive)" \
	"$DMASIM" import sysfs topo.tar
"$DMASIM" import sysfs snapshot.bin > s.yaml 2> err && grep -q '1 functions\|1 function' s.yaml \
	&& ok "import sysfs reads an archive by its header" || bad "import sysfs snapshot.bin: $(head -2 err)"

[ "$fails" = 0 ] && echo "all passed" || echo "$fails failed"
[ "$fails" = 0 ]
