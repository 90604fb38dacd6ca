#!/bin/sh
# Output that consumers read (issue 15): names from an input never break a
# TAP stream, a JSON document, a JUnit report or a terminal, and a failed
# write to stdout or to a report is an error (exit 2, "write error").
# Usage: outputs.sh DMASIM WFCHECK TOP
set -u
dmasim=$1 wfcheck=$2 top=$3
fail=0 n=0
ok() { n=$((n + 1)); }
bad() { echo "FAIL: $*"; fail=1; }
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT

# A TAP stream a consumer reads as we mean it: a version line, test points
# numbered in increasing order within the plan, comments, YAML blocks between "  ---" and "  ...",
# and one plan, last.  Prints what is wrong, if anything.
tap_ok() {
	awk '
	NR == 1 { if ($0 != "TAP version 13") { print "line 1: " $0; bad = 1 } next }
	plan { print "after the plan: " $0; bad = 1; next }
	yaml { if ($0 == "  ...") yaml = 0; else if ($0 !~ /^  [^ ]/ && $0 !~ /^    /) { print "in a YAML block: " $0; bad = 1 } next }
	$0 == "  ---" { yaml = 1; next }
	/^(not )?ok [0-9]+ - / { k = $0; sub(/^not /, "", k); split(k, f, " "); if (f[2] + 0 <= n) { print "test point " f[2] " after " n; bad = 1 } n = f[2] + 0; next }
	/^# / { next }
	/^1\.\.[0-9]+$/ { plan = 1; if (substr($0, 4) + 0 < n) { print "plan " $0 " after " n " points"; bad = 1 } next }
	{ print "not TAP: " $0; bad = 1 }
	END { if (!plan) { print "no plan"; bad = 1 } exit bad }'
}

# --- D5: a case name and a policy name with line breaks, '#' and '\'
cp "$top/topologies/x86_64/skylake-plx.yaml" "$dir/t.yaml"
cat > "$dir/evil.suite.yaml" <<'EOF'
dmasim: 1
topology: t.yaml
policy: linux-6.12
cases:
  - name: "evil\nBail out! injected\nok 99 - fake # SKIP \\ it"
    upstream: [gpu0, gpu1]
    expect: { bridge: 01:00.0 }
  - name: "fails\n1..1\n"
    upstream: [gpu0, gpu1]
    expect: { bridge: none }
EOF
cat > "$dir/pol.yaml" <<'EOF'
dmasim: 1
policy:
  name: "mine\nBail out! from a policy name"
  base: linux-6.12
EOF
sed 's/^policy: linux-6.12/policy: pol.yaml/' "$dir/evil.suite.yaml" > "$dir/evil-policy.suite.yaml"
"$dmasim" check --junit "$dir/report.xml" "$dir/evil.suite.yaml" "$dir/evil-policy.suite.yaml" \
	>"$dir/tap" 2>"$dir/err"
st=$?
[ $st = 1 ] || bad "check of the evil suites: exit $st (expected 1): $(cat "$dir/err")"
if why=$(tap_ok <"$dir/tap"); then ok; else bad "TAP broken by names: $why"; fi
grep -q '^Bail out!' "$dir/tap" && bad "an injected 'Bail out!' line"
grep -qF 'evil\nBail out! injected\nok 99 - fake \# SKIP \\ it' "$dir/tap" && ok ||
	bad "the case name is not escaped as TAP 14 asks: $(grep evil "$dir/tap")"
grep -qF '(policy mine\nBail out! from a policy name' "$dir/tap" && ok ||
	bad "the policy name is not escaped: $(grep policy "$dir/tap")"
"$wfcheck" xml "$dir/report.xml" && ok || bad "JUnit report not well-formed"
grep -qF 'name="evil&#10;Bail out! injected&#10;' "$dir/report.xml" && ok ||
	bad "JUnit: line breaks in a name not kept as &#10;"
"$dmasim" check --quiet "$dir/evil.suite.yaml" >"$dir/tap" 2>/dev/null
if why=$(tap_ok <"$dir/tap"); then ok; else bad "TAP --quiet broken by names: $why"; fi

# --- D6: a file name that is not UTF-8, in every JSON document and JUnit
badname=$(printf 'bad\377\300name')
mkdir "$dir/$badname"
cp "$dir/t.yaml" "$dir/$badname/t.yaml"
cp "$dir/evil.suite.yaml" "$dir/$badname/s.suite.yaml"
t="$dir/$badname/t.yaml"
for cmd in "validate --json" "matrix --json" "audit --json" "show --json"; do
	# shellcheck disable=SC2086
	"$dmasim" $cmd "$t" >"$dir/out.json" 2>"$dir/err"
	"$wfcheck" json "$dir/out.json" && ok || bad "$cmd on a non-UTF-8 file name: not JSON: $(head -c 300 "$dir/out.json")"
done
"$dmasim" diff --json --policy linux-4.20 --policy linux-6.12 "$t" >"$dir/out.json" 2>"$dir/err"
"$wfcheck" json "$dir/out.json" && ok || bad "diff --json on a non-UTF-8 file name: not JSON"
"$dmasim" check --json --junit "$dir/r.xml" "$dir/$badname" >"$dir/out.json" 2>"$dir/err"
"$wfcheck" json "$dir/out.json" && ok || bad "check --json on a non-UTF-8 file name: not JSON"
"$wfcheck" xml "$dir/r.xml" && ok || bad "check --junit on a non-UTF-8 file name: not XML"
grep -qF 'bad\ufffd\ufffdname' "$dir/out.json" && ok || bad "check --json: bytes not replaced by U+FFFD"
"$dmasim" check "$dir/$badname" >"$dir/tap" 2>/dev/null
grep -qF 'bad\xff\xc0name' "$dir/tap" && ok || bad "TAP: bytes not written as \\xNN"

# --- D18: ESC and BEL in a device name never reach a terminal
sed 's/name: gpu0$/name: "gpu0\\e]0;pwned\\a"/' "$dir/t.yaml" > "$dir/esc.yaml"
grep -q pwned "$dir/esc.yaml" || bad "test setup: no escaped name"
for cmd in "show $dir/esc.yaml" "route $dir/esc.yaml nvme0 0x38000001000" \
	   "matrix $dir/esc.yaml" "audit --all $dir/esc.yaml" \
	   "diff --policy linux-4.20 --policy linux-6.12 $dir/esc.yaml" \
	   "upstream $dir/esc.yaml 03:00.0 04:00.0" "p2p $dir/esc.yaml --provider nvme0 03:00.0" \
	   "map $dir/esc.yaml nvme0 03:00.0.bar1+0x1000" "map --p2p $dir/esc.yaml 03:00.0 nvme0" \
	   "route $dir/esc.yaml $(printf 'gpu0\033]0;pwned\007') 1"; do
	# shellcheck disable=SC2086
	"$dmasim" $cmd >"$dir/out" 2>&1
	if LC_ALL=C grep -q "$(printf '[\033\007]')" "$dir/out"; then
		bad "$cmd prints ESC or BEL"
	elif ! grep -qF 'gpu0\x1b]0;pwned\x07' "$dir/out"; then
		bad "$cmd: the name not shown escaped: $(head -5 "$dir/out")"
	else
		ok
	fi
done

# --- paths are printed without '//' (a directory argument with a slash)
mkdir -p "$dir/suites/sub"
cp "$dir/t.yaml" "$dir/suites/sub/t.yaml"
sed 's/^  - name: "evil.*/  - name: plain/; s/^  - name: "fails.*/  - name: plain too/' \
	"$dir/evil.suite.yaml" > "$dir/suites/sub/s.suite.yaml"
"$dmasim" check "$dir/suites/" >"$dir/out" 2>&1
"$dmasim" check --json "$dir/suites/" >>"$dir/out" 2>&1
if grep -q '//' "$dir/out"; then bad "a path with '//': $(grep '//' "$dir/out" | head -2)"
elif ! grep -q "$dir/suites/sub/s.suite.yaml" "$dir/out"; then bad "check of a directory/: $(head -3 "$dir/out")"
else ok; fi

# --- D13: write errors on stdout and on the JUnit report
if [ -w /dev/full ]; then
	for cmd in "check $top/tests/data/scenario/pass.suite.yaml" "validate $dir/t.yaml" \
		   "show $dir/t.yaml" "show --json $dir/t.yaml" "matrix $dir/t.yaml" \
		   "audit $dir/t.yaml" "route $dir/t.yaml nvme0 0x38000001000" \
		   "import lspci $top/tests/data/import/$(ls "$top/tests/data/import" | grep '\.dump$' | head -1)" \
		   "export lspci $dir/t.yaml" "--help" "--version" "check --help"; do
		# shellcheck disable=SC2086
		"$dmasim" $cmd >/dev/full 2>"$dir/err"
		st=$?
		if [ $st = 2 ] && grep -q "write error" "$dir/err"; then ok; else
			bad "$cmd >/dev/full: exit $st, stderr: $(cat "$dir/err")"; fi
	done
	"$dmasim" check --junit /dev/full "$top/tests/data/scenario/pass.suite.yaml" >/dev/null 2>"$dir/err"
	st=$?
	if [ $st = 2 ] && grep -q "write error on the JUnit report /dev/full" "$dir/err"; then ok; else
		bad "check --junit /dev/full: exit $st, stderr: $(cat "$dir/err")"; fi
else
	bad "/dev/full is missing: the write-error checks cannot run"
fi

# --- progress on stderr for long all-pairs runs, on a terminal only:
# 160 endpoints on one root bus (25 440 pairs) under script(1)
{
	printf 'dmasim: 1\narch: x86_64\nhost_bridges:\n  - name: hb0\n    buses: [0, 0x7f]\n'
	printf '    windows: [ { kind: mem, cpu: 0xc0000000, bus: 0xc0000000, size: 512M } ]\n    devices:\n'
	i=0
	while [ $i -lt 160 ]; do
		printf '      - { bdf: "00:%02x.%d", type: endpoint, bars: [ { index: 0, base: 0x%x, size: 1M } ] }\n' \
			$((i / 8)) $((i % 8)) $((0xc0000000 + i * 0x100000))
		i=$((i + 1))
	done
} > "$dir/big.yaml"
"$dmasim" matrix "$dir/big.yaml" >/dev/null 2>"$dir/err" || bad "matrix of 160 endpoints: $(head -3 "$dir/err")"
[ -s "$dir/err" ] && bad "matrix writes progress to stderr that is no terminal: $(head -c 200 "$dir/err")"
if command -v script >/dev/null 2>&1; then
	for cmd in matrix "diff --policy linux-4.20 --policy linux-6.12"; do
		script -qec "$dmasim $cmd $dir/big.yaml >/dev/null" /dev/null >"$dir/tty" 2>&1 </dev/null
		if grep -q "dmasim ${cmd%% *}: [0-9]* of 25[0-9]* pairs" "$dir/tty"; then ok; else
			bad "$cmd on a terminal: no progress: $(head -c 300 "$dir/tty")"; fi
	done
else
	bad "script(1) is missing: the progress checks cannot run"
fi

# a machine with no endpoint: matrix says so instead of an empty table
sed -n '1,/^ *devices:/p' "$dir/big.yaml" | sed '$d' > "$dir/none.yaml"
"$dmasim" matrix "$dir/none.yaml" >"$dir/out" 2>&1
grep -qx '(no endpoints)' "$dir/out" && ok || bad "matrix of no endpoints: $(cat "$dir/out")"

# --- options: a single-value option given twice, a bad option, an unknown
# policy: exit 2 and a message naming the command and the argument
sky=$top/topologies/x86_64/skylake-plx.yaml
# usage_is EXPECTED-STDERR-PATTERN ARGS...: exit 2, stderr matches
usage_is() {
	want=$1
	shift
	"$dmasim" "$@" >"$dir/out" 2>"$dir/err"
	st=$?
	if [ $st = 2 ] && grep -q -- "$want" "$dir/err"; then ok; else
		bad "dmasim $*: exit $st, stderr: $(head -2 "$dir/err")"; fi
}
usage_is "^dmasim audit: --policy given twice ('linux-5.15', then 'linux-6.12')" \
	audit --policy linux-5.15 --policy linux-6.12 "$sky"
usage_is "^dmasim matrix: --policy given twice" matrix --policy linux-5.15 --policy linux-6.12 "$sky"
usage_is "^dmasim p2p: --provider given twice" p2p "$sky" --provider nvme0 --provider gpu0 nic0
usage_is "^dmasim map: --policy given twice" map --policy linux-5.15 --policy linux-6.12 "$sky" nic0 gpu0.bar1
usage_is "^dmasim check: --junit given twice" check --junit a.xml --junit b.xml "$sky"
usage_is "^dmasim route: unknown option '-5' (a negative number?" route "$sky" gpu0 -5
if grep -q 'invalid option\|unrecognized option' "$dir/err"; then bad "getopt's own message on stderr"; else ok; fi
usage_is "^dmasim matrix: unknown option '--bogus'$" matrix --bogus=3 "$sky"
usage_is "^dmasim matrix: option '--json' takes no value$" matrix --json=1 "$sky"
usage_is "^dmasim show: option '--policy' needs a value$" show "$sky" --policy
usage_is "^dmasim: error: unknown policy 'linux-9'" p2p "$sky" --provider nvme0 gpu0 --policy linux-9
usage_is "^dmasim matrix: --devices '' has an empty name" matrix --devices '' "$sky"
usage_is "^dmasim matrix: --devices 'gpu0,,nic0' has an empty name" matrix --devices 'gpu0,,nic0' "$sky"
usage_is "^dmasim dot: --policy decides a --p2p mapping" dot --policy linux-5.15 "$sky"
# policy list --json names the rows the text lists, one default
"$dmasim" policy list | awk '{ print $1 }' > "$dir/names"
"$dmasim" policy list --json | tr '{' '\n' | sed -n 's/^"name":"\([^"]*\)".*/\1/p' > "$dir/jnames"
cmp -s "$dir/names" "$dir/jnames" && ok || bad "policy list --json names $(tr '\n' ' ' < "$dir/jnames")"
[ "$("$dmasim" policy list --json | grep -o '"default":true' | wc -l)" = 1 ] && ok || bad "policy list --json: not one default"

# diff of one machine that does not load: said on stdout where its result
# would be, not an empty-looking result; exit 2
printf 'dmasim: 1\narch: x86_64\nhost_bridges: []\n' > "$dir/nohb.yaml"
"$dmasim" diff --policy linux-4.20 --policy linux-6.12 "$dir/nohb.yaml" "$sky" >"$dir/out" 2>"$dir/err"
st=$?
[ $st = 2 ] && grep -qx "$dir/nohb.yaml: not loaded (the error is on stderr)" "$dir/out" \
	&& grep -q "nohb.yaml:3:15: error" "$dir/err" && ok || bad "diff of a machine that does not load: exit $st: $(head -8 "$dir/out")"
# counts in the singular
printf 'dmasim: 1\ntopology: %s\ncases:\n  - name: one\n    upstream: [gpu0, nvme0]\n    expect: { bridge: 02:00.0 }\n' "$sky" > "$dir/one.suite.yaml"
"$dmasim" --limit allow-outside-refs=1 validate "$dir/one.suite.yaml" > "$dir/out" 2>&1
grep -q 'ok (suite, 1 case, policy' "$dir/out" && ok || bad "validate of a one-case suite: $(cat "$dir/out")"

# validate --json: file_kind says what each file is, valid or not; an
# invalid one's error kind is error_kind
printf 'dmasim: 1\ntopology: %s\ncases:\n  - name: x\n    upstrem: [a, b]\n' "$sky" > "$dir/typo.suite.yaml"
"$dmasim" --limit allow-outside-refs=1 validate --json "$dir/typo.suite.yaml" "$top/tests/data/policy/bad-acs-bit.yaml" \
	"$sky" "$top/tests/data/bad/dup-bdf.yaml" "$dir/none.yaml" > "$dir/out" 2>/dev/null
python3 - "$dir/out" <<'PY' && ok || bad "validate --json file_kind/error_kind: $(head -c 600 "$dir/out")"
import json, sys
files = json.load(open(sys.argv[1]))["files"]
got = [(f["valid"], f["file_kind"]) for f in files]
assert got == [(False, "suite"), (False, "policy"), (True, "topology"), (False, "topology"),
               (True, "topology")], got
assert all(f["error_kind"] for f in files if not f["valid"])
assert not any("error_kind" in f for f in files if f["valid"])
PY

[ $fail = 0 ] && echo "outputs: all $n checks pass"
exit $fail
