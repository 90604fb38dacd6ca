#!/bin/sh
# A pipe can be read once: `dmasim validate` reads /dev/stdin into memory
# before telling a suite from a topology (it used to read the start twice
# and lose it), and the loaders read pipes within --limit file-bytes.
# Usage: pipes.sh DMASIM TOP
set -u
dmasim=$1 top=$2
fail=0
check() {   # check WHAT EXPECTED-STATUS EXPECTED-TEXT OUTPUT STATUS
	if [ "$5" != "$2" ] || ! printf '%s' "$4" | grep -qF -- "$3"; then
		echo "FAIL: $1: status $5 (expected $2), output: $4"
		fail=1
	fi
}
out=$("$dmasim" validate /dev/stdin < "$top/topologies/arm64/altra-smmu.yaml" 2>&1)
check "validate a topology from a pipe" 0 "/dev/stdin: ok (arm64" "$out" $?
out=$(cat "$top/topologies/arm64/altra-smmu.yaml" | "$dmasim" validate /dev/stdin 2>&1)
check "validate a topology from a pipe (cat)" 0 "/dev/stdin: ok (arm64" "$out" $?
out=$(cat "$top/tests/data/scenario/inline.suite.yaml" | "$dmasim" validate /dev/stdin 2>&1)
check "validate a suite from a pipe" 0 "/dev/stdin: ok (suite, 1 case" "$out" $?
out=$(cat "$top/topologies/x86_64/skylake-plx.yaml" | "$dmasim" show /dev/stdin 2>&1)
check "show from a pipe" 0 "skylake-sp with one PLX switch" "$out" $?
out=$(cat "$top/topologies/x86_64/skylake-plx.yaml" | "$dmasim" --limit file-bytes=1000 validate /dev/stdin 2>&1)
check "a pipe beyond file-bytes" 2 "larger than the limit of 1000 bytes" "$out" $?
out=$(cat "$top/topologies/x86_64/skylake-plx.yaml" | "$dmasim" --limit file-bytes=1000 show /dev/stdin 2>&1)
check "a pipe beyond file-bytes (streamed)" 2 "larger than the limit of 1000 bytes" "$out" $?
# more than a pipe holds (64 KiB) before the topology: the writer is still
# writing when the loader opens the pipe, and must not lose a reader
out=$({ yes '# padding padding padding' | head -c 300000; cat "$top/topologies/x86_64/skylake-plx.yaml"; } |
	"$dmasim" show /dev/stdin 2>&1)
check "a long pipe" 0 "skylake-sp with one PLX switch" "$out" $?
# a named pipe: opened once (opening it only to see that it is no regular
# file took the writer's reader away, and the writer died of SIGPIPE)
dir=$(mktemp -d)
mkfifo "$dir/fifo"
{ yes '# padding padding padding' | head -c 300000; cat "$top/topologies/x86_64/skylake-plx.yaml"; } > "$dir/fifo" &
out=$(timeout 30 "$dmasim" show "$dir/fifo" 2>&1)
check "a named pipe" 0 "skylake-sp with one PLX switch" "$out" $?
kill $! 2>/dev/null
rm -rf "$dir"
[ $fail = 0 ] && echo "pipes: all 8 checks pass"
exit $fail
