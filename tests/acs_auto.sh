#!/bin/sh
# dmasim tests -- `ctrl: auto` ACS words as each policy's pci_enable_acs()
# (drivers/pci/pci.c) sets them, on tests/data/acs/auto.yaml and variants
# of it.  Each case is a policy, a sed edit of the file and the exact
# `show` lines with acs=.
#
# usage: acs_auto.sh DMASIM DATA_DIR
set -u
DMASIM=$1
SRC=$2/auto.yaml
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
fails=0

check() { # NAME POLICY SED-EXPR EXPECTED
	sed "$3" "$SRC" >"$tmp/t.yaml"
	got=$("$DMASIM" show --policy "$2" "$tmp/t.yaml" 2>&1 | grep -o '[0-9a-f][0-9a-f]:[0-9a-f][0-9a-f].[0-7] [a-z-]* .*acs=[^)]*)' |
	      sed 's/ [a-z-]* .*acs=/ /')
	if [ "$got" = "$4" ]; then
		echo "ok: $1"
	else
		printf 'not ok: %s\n--- got\n%s\n--- expected\n%s\n' "$1" "$got" "$4"
		fails=$((fails + 1))
	fi
}

# 6.12: pci_std_enable_acs() sets SV RR CR UF, TB on the external-facing
# port and the untrusted one below it; the SPT PCH quirk leaves the
# standard word; __pci_config_acs() rebuilds 00:03.0 (config_acs=1x0x: CR
# on, TB off) and 00:04.0 (disable_acs_redir) from the firmware word.
check "linux-6.12 (__pci_config_acs, v6.11 47c8846a49ba)" linux-6.12 '' \
'00:01.0 sv,tb,rr,cr,uf,ec (auto: firmware ec, kernel set sv,tb,rr,cr,uf)
02:00.0 sv,tb,rr,cr,uf (auto: firmware -, kernel set sv,tb,rr,cr,uf)
00:02.0 - (auto: firmware -)
00:03.0 cr (auto: firmware -, kernel set cr)
00:04.0 sv (auto: firmware sv)'
# 6.1: no config_acs; pci_disable_acs_redir() clears RR CR EC from the
# enabled word.
check "linux-6.1 (pci_disable_acs_redir)" linux-6.1 '' \
'00:01.0 sv,tb,rr,cr,uf,ec (auto: firmware ec, kernel set sv,tb,rr,cr,uf)
02:00.0 sv,tb,rr,cr,uf (auto: firmware -, kernel set sv,tb,rr,cr,uf)
00:02.0 - (auto: firmware -)
00:03.0 sv,rr,cr,uf (auto: firmware -, kernel set sv,rr,cr,uf)
00:04.0 sv,uf (auto: firmware sv, kernel set uf)'
# pci=noats: TB everywhere the capability has it (pci_ats_disabled()).
check "linux-6.1 pci=noats" linux-6.1 's/pci=disable_acs_redir/pci=noats,disable_acs_redir/' \
'00:01.0 sv,tb,rr,cr,uf,ec (auto: firmware ec, kernel set sv,tb,rr,cr,uf)
02:00.0 sv,tb,rr,cr,uf (auto: firmware -, kernel set sv,tb,rr,cr,uf)
00:02.0 - (auto: firmware -)
00:03.0 sv,tb,rr,cr,uf (auto: firmware -, kernel set sv,tb,rr,cr,uf)
00:04.0 sv,uf (auto: firmware sv, kernel set uf)'
# No IOMMU asked for ACS: only the command line acts (6.12).
check "linux-6.12 acs_requested: false" linux-6.12 's/^  cmdline:/  acs_requested: false\n  cmdline:/' \
'00:01.0 ec (auto: firmware ec)
02:00.0 - (auto: firmware -)
00:02.0 - (auto: firmware -)
00:03.0 cr (auto: firmware -, kernel set cr)
00:04.0 sv (auto: firmware sv)'
# An SMMUv3 (device tree): pci_request_acs() comes from
# of_iommu_configure() after enumeration, so nothing is enabled (6.1).
check "linux-6.1 smmuv3 requests ACS too late" linux-6.1 's/arch: x86_64/arch: arm64/; s/type: intel-vtd/type: smmuv3/' \
'00:01.0 ec (auto: firmware ec)
02:00.0 - (auto: firmware -)
00:02.0 - (auto: firmware -)
00:03.0 - (auto: firmware -)
00:04.0 sv (auto: firmware sv)'
# Errors name the cause.
sed 's/config_acs=1x0x@/config_acs=1y0x@/' "$SRC" >"$tmp/bad.yaml"
if "$DMASIM" show --policy linux-6.12 "$tmp/bad.yaml" >"$tmp/out" 2>&1 ||
   ! grep -q 'config_acs: Invalid ACS flags' "$tmp/out"; then
	echo "not ok: a bad config_acs is an error"; cat "$tmp/out"; fails=$((fails + 1))
else
	echo "ok: a bad config_acs is an error"
fi
[ "$fails" -eq 0 ]
