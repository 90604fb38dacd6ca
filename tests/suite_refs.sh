#!/bin/sh
# The files a suite names, and the trees `dmasim check DIR` walks
# (issue 15: D1, D2, D17, D3, D4, D9, D14).
# Usage: suite_refs.sh DMASIM TOP
set -u
dmasim=$1 top=$2
fail=0 n=0
check() {   # check WHAT EXPECTED-STATUS EXPECTED-TEXT OUTPUT STATUS
	n=$((n + 1))
	if [ "$5" != "$2" ] || ! printf '%s' "$4" | grep -qF -- "$3"; then
		echo "FAIL: $1: status $5 (expected $2), output: $4"
		fail=1
	fi
}
absent() {  # absent WHAT TEXT OUTPUT
	n=$((n + 1))
	if printf '%s' "$3" | grep -qF -- "$2"; then
		echo "FAIL: $1: the output holds '$2': $3"
		fail=1
	fi
}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work" || exit 1
plx=$top/topologies/x86_64/skylake-plx.yaml
suite() {   # suite FILE TOPOLOGY-REF: a one-case suite that passes on skylake-plx
	printf 'dmasim: 1\ntopology: %s\ncases:\n  - upstream: [nvme0, nvme0]\n    expect: { bridge: nvme0 }\n' "$2" > "$1"
}

# D1: a suite in a directory path of 1024 characters or more resolves its
# topology in that directory, not in the current one (a decoy t.yaml here).
long=$(printf 'd%.0s' $(seq 1 200))
deep="$work/$long/$long/$long/$long/$long/$long"
mkdir -p "$deep"
cp "$plx" t.yaml
suite "$deep/x.suite.yaml" t.yaml
out=$("$dmasim" check "$deep/x.suite.yaml" 2>&1)
check "D1: a long directory, no t.yaml in it" 2 "cannot read the topology 't.yaml'" "$out" $?
cp "$plx" "$deep/t.yaml"
out=$("$dmasim" check "$deep/x.suite.yaml" 2>&1)
check "D1: a long directory, t.yaml in it" 0 "ok 1 - x.suite.yaml" "$out" $?

# D2: a reference longer than 2047 characters is not cut short.
mkdir r
cp "$plx" r/t.yaml
# "r/" and the reference make 2047 characters up to the end of "t.yaml"
pad=.//$(printf './%.0s' $(seq 1 1018))
suite r/long.suite.yaml "${pad}t.yaml.does-not-exist"
out=$("$dmasim" check r/long.suite.yaml 2>&1)
check "D2: a long reference to a missing file" 2 "cannot read the topology" "$out" $?
suite r/long-ok.suite.yaml "${pad}t.yaml"
out=$("$dmasim" check r/long-ok.suite.yaml 2>&1)
check "D2: a long reference to a file" 0 "ok 1" "$out" $?

# D17: references outside the suite's directory are refused by default.
mkdir -p in/sub
cp "$plx" in/t.yaml
cp "$plx" outside.yaml
suite in/up.suite.yaml ../outside.yaml
out=$("$dmasim" check in/up.suite.yaml 2>&1)
check "D17: ../ refused" 2 "up.suite.yaml:2:11: error: the topology '../outside.yaml' is outside the suite's directory" "$out" $?
out=$("$dmasim" check --allow-outside-refs in/up.suite.yaml 2>&1)
check "D17: ../ with --allow-outside-refs" 0 "ok 1" "$out" $?
out=$("$dmasim" --limit allow-outside-refs=1 check in/up.suite.yaml 2>&1)
check "D17: ../ with --limit allow-outside-refs=1" 0 "ok 1" "$out" $?
out=$("$dmasim" validate in/up.suite.yaml 2>&1)
check "D17: validate refuses ../" 2 "outside the suite's directory" "$out" $?
out=$("$dmasim" validate --allow-outside-refs in/up.suite.yaml 2>&1)
check "D17: validate --allow-outside-refs" 0 "ok (suite, 1 case" "$out" $?
suite in/etc.suite.yaml /etc/passwd
out=$("$dmasim" check in/etc.suite.yaml 2>&1)
check "D17: /etc/passwd refused" 2 "the topology '/etc/passwd' is outside" "$out" $?
ln -s ../outside.yaml in/link.yaml
suite in/link.suite.yaml link.yaml
out=$("$dmasim" check in/link.suite.yaml 2>&1)
check "D17: a symbolic link out of the tree refused" 2 "the topology 'link.yaml' is outside" "$out" $?
suite in/sub/down.suite.yaml ../t.yaml
out=$("$dmasim" check in/sub/down.suite.yaml 2>&1)
check "D17: ../ from a subdirectory refused" 2 "is outside the suite's directory" "$out" $?
suite in/dotdot-in.suite.yaml sub/../t.yaml
out=$("$dmasim" check in/dotdot-in.suite.yaml 2>&1)
check "D17: sub/../t.yaml stays inside" 0 "ok 1" "$out" $?
printf 'dmasim: 1\ntopology: t.yaml\npolicy: ../p.yaml\ncases: []\n' > in/pol.suite.yaml
printf 'dmasim: 1\npolicy: { base: linux-6.12 }\n' > p.yaml
out=$("$dmasim" check in/pol.suite.yaml 2>&1)
check "D17: a policy outside refused" 2 "pol.suite.yaml:3:9: error: the policy '../p.yaml' is outside" "$out" $?
# ... and an error quotes no more than a short, escaped excerpt of a file
# that is no YAML of dmasim's.
secret=s3cr3t-0123456789abcdefghijklmnopqrstuvwxyz-THE-REST-OF-THE-SECRET
printf 'root:*:20228:0:99999:7:::\n%s: 1\n' "$secret" > shadow
suite in/shadow.suite.yaml ../shadow
out=$("$dmasim" check --allow-outside-refs in/shadow.suite.yaml 2>&1)
check "D17: a non-YAML file named" 2 "unknown key 'root:*:20228:0:99999:7::' in the topology" "$out" $?
printf '%s: 1\nroot: x\n' "$secret" > shadow
out=$("$dmasim" check --allow-outside-refs in/shadow.suite.yaml 2>&1)
check "D17: a long key is cut" 2 "unknown key 's3cr3t-0123456789abcdefghijklmnopqrstuvw...'" "$out" $?
absent "D17: a long key is cut" "THE-REST" "$out"
printf 'dmasim: 1\n"\\e[31mred\\a": 1\n' > in/esc.yaml
suite in/esc.suite.yaml esc.yaml
out=$("$dmasim" check in/esc.suite.yaml 2>&1)
check "D17: control characters escaped" 2 "unknown key '\\x1b[31mred\\x07'" "$out" $?

# D3: a FIFO named *.yaml in the tree does not block `check DIR`.
mkdir fifo
cp "$plx" fifo/t.yaml
suite fifo/a.suite.yaml t.yaml
mkfifo fifo/b.yaml
out=$(timeout 20 "$dmasim" check fifo 2>&1)
check "D3: a FIFO in the tree" 0 "fifo/b.yaml: not a regular file; not read" "$out" $?
check "D3: the suite next to the FIFO runs" 0 "ok 1 - a.suite.yaml" "$out" 0

# D9: --policy NAME does not open a FIFO named NAME to see whether it is a file.
mkfifo linux-7.0
out=$(timeout 20 "$dmasim" p2p --policy linux-7.0 "$plx" --provider gpu0 nvme0 2>&1)
check "D9: --policy naming a FIFO" 2 "unknown policy 'linux-7.0'" "$out" $?
cp "$top/tests/data/policy/rr-only.yaml" rr-only
out=$(timeout 20 "$dmasim" p2p --policy rr-only "$plx" --provider gpu0 nvme0 2>&1)
check "D9: --policy naming a regular file" 0 "policy rr-only" "$out" $?

# D4: a tree 2,100 levels deep is walked without recursion (it overflowed the stack).
mkdir deep
cp "$plx" deep/t.yaml
suite deep/a.suite.yaml t.yaml
(cd deep && perl -e 'for (1 .. 2100) { mkdir "d" or die "mkdir: $!"; chdir "d" or die "chdir: $!" }')
out=$(timeout 60 "$dmasim" check deep 2>&1)
check "D4: a deep tree" 0 "ok 1 - a.suite.yaml" "$out" $?
check "D4: what is too deep to name is said" 0 "File name too long" "$out" 0

# D14: "no suite found" frees what the walk kept (a leak under ASan).
mkdir empty
out=$("$dmasim" check empty 2>&1)
check "D14: no suite found" 2 "no suite found" "$out" $?

# Issue 17 item 4: files are told apart by their top-level keys.
mkdir kinds
cp "$plx" kinds/t.yaml
suite kinds/a.suite.yaml t.yaml
printf 'dmasim: 1\npolicy:\n  base: linux-6.12\n  name: mine\n' > kinds/p.yaml
out=$("$dmasim" check kinds 2>&1)
check "item 4: a policy file in a suites folder" 0 "ok 1 - a.suite.yaml" "$out" $?
absent "item 4: a policy file is no suite" "p.yaml" "$out"
out=$("$dmasim" validate kinds/p.yaml kinds/t.yaml kinds/a.suite.yaml 2>&1)
check "item 4: validate a policy" 0 "kinds/p.yaml: ok (policy mine)" "$out" $?
check "item 4: validate a topology" 0 "kinds/t.yaml: ok (x86_64" "$out" 0
check "item 4: validate a suite" 0 "kinds/a.suite.yaml: ok (suite, 1 case" "$out" 0
out=$("$dmasim" validate --json kinds/p.yaml 2>&1)
check "item 4: validate --json a policy" 0 '"kind": "policy"' "$out" $?
out=$(cat kinds/p.yaml | "$dmasim" validate /dev/stdin 2>&1)
check "item 4: a policy from a pipe" 0 "/dev/stdin: ok (policy" "$out" $?
printf 'dmasim: 1\npolicy:\n  base: linux-9.99\n' > kinds/bad-policy.yaml
out=$("$dmasim" validate kinds/bad-policy.yaml 2>&1)
check "item 4: a broken policy is reported as a policy" 2 "bad-policy.yaml:3:9: error: 'linux-9.99' is not a built-in policy" "$out" $?
out=$("$dmasim" check kinds/p.yaml 2>&1)
check "item 4: check names a policy file" 2 "kinds/p.yaml: a policy file, not a suite" "$out" $?

# D19: aliases in a suite are bounded by --limit alias-events, as in a
# topology (one anchored case and 300,000 `- *c` once loaded every copy).
{ printf 'dmasim: 1\ntopology: t.yaml\ncases:\n  - &c { upstream: [nvme0, nvme0], expect: { bridge: nvme0 } }\n'
  yes '  - *c' | head -n 300000; } > kinds/alias.suite.yaml
out=$(timeout 60 "$dmasim" check kinds/alias.suite.yaml 2>&1)
check "D19: aliases beyond the limit" 2 "error: case 116516: the cases expand through aliases to more than" "$out" $?
# Raising the limit lets a suite through: 20,000 aliases (small enough to
# run in seconds under the sanitizers), refused below and run above it.
{ printf 'dmasim: 1\ntopology: t.yaml\ncases:\n  - &c { upstream: [nvme0, nvme0], expect: { bridge: nvme0 } }\n'
  yes '  - *c' | head -n 20000; } > kinds/alias20k.suite.yaml
out=$(timeout 60 "$dmasim" --limit alias-events=64K check --quiet kinds/alias20k.suite.yaml 2>&1)
check "D19: 20k aliases beyond a lowered limit" 2 "the cases expand through aliases to more than" "$out" $?
out=$(timeout 120 "$dmasim" --limit alias-events=16M check --quiet kinds/alias20k.suite.yaml 2>&1)
check "D19: aliases within a raised limit" 0 "1..20001" "$out" $?

[ $fail = 0 ] && echo "suite_refs: all $n checks pass"
exit $fail
