#!/bin/bash
# The bash completion (cmake/dmasim-completion.bash) offers what the dmasim
# it completes for knows: commands, options, built-in policies, option values
# and the devices of the topology on the line.  Each case sets COMP_WORDS as
# bash would, calls the completion function and compares the candidates.
# With bash-completion installed, the cases run again with its helpers
# (_init_completion) loaded, as in an interactive shell.
# Usage: completion.sh COMPLETION_FILE DMASIM SOURCE_DIR [--with-bash-completion]
set -u
comp=$1 dmasim=$2 src=$3
cd "$src" || exit 2
PATH="$(dirname "$dmasim"):$PATH"
if [[ ${4-} == --with-bash-completion ]]; then
	# shellcheck source=/dev/null
	. /usr/share/bash-completion/bash_completion || exit 2
	declare -F _init_completion >/dev/null || { echo "FAIL: no _init_completion"; exit 1; }
fi
# shellcheck source=/dev/null
. "$comp" || exit 2
fails=0
topo=topologies/x86_64/skylake-plx.yaml

# expect 'LINE' 'CANDIDATES': complete the last word of LINE (a trailing
# space means an empty word), sorted candidates must equal CANDIDATES.
expect()
{
	local line=$1 want=$2 got
	# Split as bash does with the default COMP_WORDBREAKS: at blanks, and
	# '=' and ':' are words of their own.
	read -r -a COMP_WORDS <<<"$(sed 's/\([=:]\)/ \1 /g' <<<"$line")"
	[[ $line == *" " || $line == *[=:] ]] && COMP_WORDS+=("")
	COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
	COMP_LINE=$line COMP_POINT=${#line}
	COMPREPLY=()
	_dmasim dmasim "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"
	got=$(printf '%s\n' "${COMPREPLY[@]}" | sort | tr '\n' ' ' | sed 's/ *$//')
	if [[ $got == "$want" ]]; then
		echo "ok: '$line'"
	else
		echo "FAIL: '$line'"; echo "  want: $want"; echo "  got:  $got"
		fails=$((fails + 1))
	fi
}

# The commands are those of 'dmasim --help'.
cmds=$(dmasim --help | awk '/^Commands:/ { on = 1; next } on && /^$/ { exit } on { print $1 }' | sort | tr '\n' ' ' | sed 's/ *$//')
[[ $cmds == *check*p2p*validate* ]] || { echo "FAIL: no commands in dmasim --help"; exit 1; }
expect "dmasim " "$cmds"
expect "dmasim ma" "map matrix"
expect "dmasim --l" "--limit"
expect "dmasim --limit dep" "depth="
expect "dmasim --limit depth=9 rou" "route"
# Options of a command, from its --help.
expect "dmasim route $topo gpu0 0x0 --w" "--write"
expect "dmasim check --j" "--json --junit"
# Built-in policy names, read from the tool.
policies=$( (dmasim policy list 2>/dev/null || true) | awk '$1 ~ /^[a-z0-9][a-z0-9._-]*$/ { print $1
	for (i = 2; i < NF; i++) if ($i == "alias") print $(i + 1) }' | sort | tr '\n' ' ' | sed 's/ *$//')
[[ -n $policies ]] || policies="linux-4.20 linux-5.15 linux-6.12 seed-2018"
expect "dmasim p2p $topo --policy " "$policies"
expect "dmasim matrix --policy linux-6.1" "$(tr ' ' '\n' <<<"$policies" | grep '^linux-6\.1' | tr '\n' ' ' | sed 's/ *$//')"
expect "dmasim policy " "list show"
expect "dmasim policy show seed" "seed-2018"
# An alias of 'dmasim policy list' ('linux-6.19  alias mainline') too.
alias=$(dmasim policy list | awk '{ for (i = 2; i < NF; i++) if ($i == "alias") { print $(i + 1); exit } }')
[[ -n $alias ]] && expect "dmasim p2p $topo --policy $alias" "$alias"
# Devices of the topology on the line: by slot and by option.
expect "dmasim route $topo g" "gpu0 gpu1"
expect "dmasim p2p $topo --provider nv" "nvme0"
expect "dmasim p2p $topo --provider nvme0 gpu0 n" "nic0 nvme0"
expect "dmasim upstream $topo gpu0 d" "dsp0 dsp1 dsp2"
expect "dmasim map --p2p $topo nvme0 g" "gpu0 gpu1"
expect "dmasim dot $topo --p2p nvme0 n" "nic0 nvme0"
# (a BDF's colons split the word: the candidates replace what follows the last)
expect "dmasim route $topo 0000:05" "05:00.0"
expect "dmasim route $topo 0000:0" "00:00.0 00:02.0 01:00.0 02:00.0 02:01.0 02:02.0 03:00.0 04:00.0 05:00.0 06:00.0"
# No device names where an address goes.
expect "dmasim route $topo gpu0 " ""
# Values an option's help lists.
expect "dmasim map $topo gpu0 0x0 --dir " "bidirectional from_device to_device"
expect "dmasim import lspci x --arch " "arm64 ppc64 riscv64 x86_64"
# Sub-forms and files.
expect "dmasim import " "hwloc lspci sysfs"
expect "dmasim validate topologies/x86_64/skylake-plx.y" "$topo"
expect "dmasim check --junit topologies/x86_64/skylake-plx.y" "$topo"

[[ $fails == 0 ]] || { echo "$fails failed"; exit 1; }
echo "all completion cases hold${4:+ ($4)}"
if [[ -z ${4-} && -r /usr/share/bash-completion/bash_completion ]]; then
	exec bash "$0" "$@" --with-bash-completion
fi
