# bash completion for dmasim                                 -*- shell-script -*-
#
# Installed as share/bash-completion/completions/dmasim.  Everything it
# offers is read from the dmasim being completed, so new commands, options
# and policies appear without editing this file:
#   commands        the 'Commands:' list of 'dmasim --help'
#   options         the OPTIONS lines of 'dmasim COMMAND --help'
#   arguments       the SYNOPSIS of 'dmasim COMMAND --help' (TOPOLOGY, FILE,
#                   DEVICE, CLIENT, ... say what each position holds)
#   policy names    'dmasim policy list' (names and aliases), or with older
#                   tools the built-in policies 'dmasim p2p --help' lists
#   device names    'dmasim show --json TOPOLOGY' of the topology on the line
#   --limit NAMEs   the 'Global options' of 'dmasim --help'

# The help text of "$@", cached per tool and command for this shell (a new
# shell sees a rebuilt tool's new texts).  Call it once outside $(...) to
# fill the cache for the subshells.
declare -gA _dmasim_cache 2>/dev/null || declare -A _dmasim_cache
_dmasim_help()
{
    local key="${_dmasim_prog}|$*"
    if [[ -z ${_dmasim_cache[$key]+x} ]]; then
        _dmasim_cache[$key]=$("$_dmasim_prog" "$@" --help 2>/dev/null)
    fi
    printf '%s\n' "${_dmasim_cache[$key]}"
}

_dmasim_commands()
{
    _dmasim_help | awk '/^Commands:/ { on = 1; next } on && /^$/ { exit }
                        on && /^  [a-z]/ { print $1 }'
}

# One line per option of a command: NAME ARITY, e.g. "--size 1", "-h 0".
# ARITY is the number of upper-case placeholders after the option name.
_dmasim_options()
{
    _dmasim_help "$1" | awk '
        /^OPTIONS/ { on = 1; next }
        on && /^[A-Z]/ { exit }
        on && /^ +-/ {
            sub(/^ +/, "")
            n = split($0, w, / /)
            names = ""; arity = 0
            for (i = 1; i <= n; i++) {
                if (w[i] ~ /^-[-a-zA-Z0-9]+,?$/) { sub(/,$/, "", w[i]); names = names " " w[i] }
                else if (w[i] ~ /^[A-Z][A-Z_|]*$/) arity++
                else break
            }
            m = split(names, o, / /)
            for (i = 1; i <= m; i++) if (o[i] != "") print o[i], arity
        }'
}

# The SYNOPSIS forms of a command, one per line, with the optional groups
# in brackets dropped: "route TOPOLOGY DEVICE ADDRESS",
# "map --p2p TOPOLOGY PROVIDER CLIENT".
_dmasim_forms()
{
    _dmasim_help "$1" | awk '
        /^SYNOPSIS/ { on = 1; next }
        on && /^[A-Z]/ { exit }
        on && /^    dmasim / { if (f != "") print f; f = $0; next }
        on && /^ +[^ ]/ { f = f " " $0 }
        END { if (f != "") print f }' |
    sed -e 's/\[[^]]*\]//g' -e 's/^ *dmasim //' -e 's/  */ /g' -e 's/ *$//'
}

# Built-in policy names.
_dmasim_policies()
{
    local list
    list=$("$_dmasim_prog" policy list 2>/dev/null) &&
        awk '$1 ~ /^[a-z0-9][a-z0-9._-]*$/ { print $1
                 for (i = 2; i < NF; i++) if ($i == "alias") print $(i + 1) }' <<<"$list" && return
    # Older tools: the list in "a built-in policy (seed-2018, ...; the default)".
    _dmasim_help p2p | tr '\n' ' ' | tr -s ' ' |
        sed -n 's/.*built-in polic[a-z]* (\([^)]*\)).*/\1/p' |
        sed 's/;[^,]*//g' | tr ',' '\n' | sed 's/^ *//; s/ *$//' | grep -v '^$'
}

# Device names (and BDFs when the word starts with a digit) of topology $1.
_dmasim_devices()
{
    [[ -f $1 ]] || return
    local field=name
    [[ $cur == [0-9]* ]] && field=bdf
    "$_dmasim_prog" show --json "$1" 2>/dev/null |
        awk -v f="$field" '
            /^ *"bdf": / { dev = 1 }
            dev && $0 ~ "^ *\"" f "\": \"" {
                sub("^ *\"" f "\": \"", ""); sub(/".*/, ""); print; dev = 0 }'
}

# The values an option's description lists at its start, as in
# "--arch A  x86_64, arm64, ppc64 or riscv64 (default: ...)" or
# "--dir DIR  to_device (...), from_device (...) or bidirectional (...)".
_dmasim_option_values()
{
    _dmasim_help "$1" | awk -v opt="$2" '
        /^OPTIONS/ { on = 1; next }
        on && /^[A-Z]/ { exit }
        on && /^ +-/ { cur = 0
            for (i = 1; i <= NF; i++) if ($i == opt || $i == opt ",") { cur = 1; $i = "" } }
        on && cur { sub(/^ +(-[-a-zA-Z0-9]+,? +)*([A-Z][A-Z_|]* +)*/, ""); printf "%s ", $0 }' |
    sed -e 's/([^)]*)//g' -e 's/[;.].*//' -e 's/,/ , /g' | awk '
        { n = 0
          for (i = 1; i <= NF; i++) {
            if ($i !~ /^[a-z][a-z0-9_]*$/ || $i == "or") exit
            v[++n] = $i
            if ($(i + 1) == "or") { if (i + 2 <= NF && $(i + 2) ~ /^[a-z][a-z0-9_]*$/) v[++n] = $(i + 2); break }
            if ($(i + 1) != ",") exit
            i++
          }
          if (n >= 2) for (j = 1; j <= n; j++) print v[j] }'
}

_dmasim_limits()
{
    _dmasim_help | tr -s ' ,\n' '\n' | sed -n 's/^\([a-z][a-z-]*\)=.*/\1=/p' | sort -u
}

_dmasim()
{
    local cur prev words cword
    if declare -F _init_completion >/dev/null; then
        _init_completion -n =: || return
    else
        # Without bash-completion: join the words bash split at '=' and ':'
        # again, as _init_completion -n =: does.
        local j join=0
        words=() cword=0
        for ((j = 0; j < ${#COMP_WORDS[@]}; j++)); do
            local w=${COMP_WORDS[j]}
            if ((j > 0)) && [[ $w == [=:] || $join == 1 ]]; then
                words[-1]+=$w
            else
                words+=("$w")
            fi
            [[ $w == [=:] ]] && join=1 || join=0
            ((j == COMP_CWORD)) && cword=$((${#words[@]} - 1))
        done
        cur=${words[cword]-} prev=${words[cword-1]-}
    fi
    local _dmasim_prog=${words[0]}
    [[ $_dmasim_prog == */* || -n $(type -P "$_dmasim_prog") ]] || return

    _dmasim_help >/dev/null
    # The command: the first word after the global options.
    local i cmd="" cmdi=0
    for ((i = 1; i < cword; i++)); do
        case ${words[i]} in
        --limit) ((i++)) ;;
        -*) ;;
        *) cmd=${words[i]} cmdi=$i; break ;;
        esac
    done
    if [[ -z $cmd ]]; then
        case $prev in
        --limit)
            COMPREPLY=($(compgen -W "$(_dmasim_limits)" -- "$cur"))
            compopt -o nospace 2>/dev/null
            return ;;
        esac
        if [[ $cur == -* ]]; then
            COMPREPLY=($(compgen -W "--help --version --limit" -- "$cur"))
        else
            COMPREPLY=($(compgen -W "$(_dmasim_commands)" -- "$cur"))
        fi
        return
    fi

    _dmasim_help "$cmd" >/dev/null
    # Options of the command and how many arguments each takes.
    local -A arity=()
    local o n
    while read -r o n; do
        [[ -n $o ]] && arity[$o]=$n
    done < <(_dmasim_options "$cmd")

    # The words so far: positional ones, and which flags are present.
    local -a pos=()
    local flags=" " topo="" need=0 optword="" optarg=0
    for ((i = cmdi + 1; i < cword; i++)); do
        if ((need > 0)); then
            ((need--, optarg++))
            continue
        fi
        if [[ ${words[i]} == -* && -n ${arity[${words[i]}]+x} ]]; then
            flags+="${words[i]} "
            need=${arity[${words[i]}]} optword=${words[i]} optarg=0
            continue
        fi
        pos+=("${words[i]}")
    done

    # The synopsis form that fits best (its literal words where the line has
    # them, most of its flags given), its slots, and the topology in it.
    local form="" f best=-99
    while read -r f; do
        local score=0 w k=0 skip=0
        for w in ${f#"$cmd"}; do
            if ((skip > 0)); then ((skip--)); continue; fi
            if [[ $w == -* ]]; then
                if [[ $flags == *" $w "* ]]; then score=$((score + 1)); else score=$((score - 1)); fi
                skip=${arity[$w]:-0}
                continue
            fi
            if [[ $w == [a-z]* && $k -lt ${#pos[@]} ]]; then
                if [[ ${pos[k]} == "$w" ]]; then score=$((score + 2)); else score=$((score - 2)); fi
            fi
            ((k++))
        done
        ((score > best)) && { best=$score form=$f; }
    done < <(_dmasim_forms "$cmd")
    local -a slots=()
    local skip=0
    for w in ${form#"$cmd"}; do
        if ((skip > 0)); then ((skip--)); continue; fi
        if [[ $w == -* ]]; then skip=${arity[$w]:-0}; continue; fi
        slots+=("$w")
    done
    for ((i = 0; i < ${#slots[@]} && i < ${#pos[@]}; i++)); do
        [[ ${slots[i]} == TOPOLOGY* ]] && topo=${pos[i]}
    done
    if [[ -z $topo ]]; then
        for w in "${pos[@]}"; do
            [[ $w == *.yaml || $w == *.yml ]] && [[ -f $w ]] && { topo=$w; break; }
        done
    fi

    # What the current word is: an option's argument, an option, or a slot.
    local kind="" meta
    if ((need > 0)); then
        # The placeholder of this argument in the option's line of --help.
        meta=$(_dmasim_help "$cmd" | awk -v opt="$optword" -v k="$optarg" '
            /^OPTIONS/ { on = 1; next }
            on && /^[A-Z]/ { exit }
            on && /^ +-/ { for (i = 1; i <= NF; i++) if ($i == opt || $i == opt ",") {
                    j = i + 1 + k; if ($j ~ /^[A-Z][A-Z_|]*$/) print $j; exit } }')
        case $optword in
        --policy) kind=policy ;;
        --provider | --client) kind=device ;;
        *)
            case $meta in
            FILE* | OUT* | ROOT* | PATH* | DIR*) kind=file ;;
            DEVICE* | PROVIDER* | CLIENT*) kind=device ;;
            esac ;;
        esac
        local vals
        vals=$(_dmasim_option_values "$cmd" "$optword")
        if [[ -n $vals ]]; then
            COMPREPLY=($(compgen -W "$vals" -- "$cur"))
            return
        fi
        [[ -n $kind ]] || return
    elif [[ $cur == -* ]]; then
        COMPREPLY=($(compgen -W "${!arity[*]}" -- "$cur"))
        return
    else
        local slot=${slots[${#pos[@]}]-}
        if [[ -z $slot && ${#slots[@]} -gt 0 && ${slots[-1]} == *... ]]; then
            slot=${slots[-1]}
        fi
        case ${slot%...} in
        NAME\|FILE | POLICY) kind=policy ;;
        TOPOLOGY | FILE | PATH | ROOT | OUT | FILE\|-) kind=file ;;
        DEVICE | CLIENT | PROVIDER | A | B) kind=device ;;
        [a-z]*)
            COMPREPLY=($(compgen -W "$(_dmasim_forms "$cmd" |
                awk -v n=$((${#pos[@]} + 2)) '$n ~ /^[a-z]/ { print $n }')" -- "$cur"))
            return ;;
        *) return ;;
        esac
    fi

    case $kind in
    policy)
        _dmasim_help p2p >/dev/null
        COMPREPLY=($(compgen -W "$(_dmasim_policies)" -- "$cur"))
        COMPREPLY+=($(compgen -f -X '!*.@(yaml|yml)' -- "$cur"))
        compopt -o filenames 2>/dev/null ;;
    device)
        COMPREPLY=($(compgen -W "$(_dmasim_devices "$topo")" -- "$cur"))
        # A BDF has colons, which bash splits words at.
        if [[ $cur == *:* ]]; then
            local k
            for k in "${!COMPREPLY[@]}"; do
                COMPREPLY[k]=${COMPREPLY[k]#"${cur%"${cur##*:}"}"}
            done
        fi ;;
    file)
        COMPREPLY=($(compgen -f -- "$cur"))
        compopt -o filenames 2>/dev/null ;;
    esac
}
complete -F _dmasim dmasim

# ex: filetype=sh
