#!/bin/sh
# Every global symbol the libraries define starts with dmasim_ (public) or
# dmasim__ (internal), so that linking libdmasim.a never clashes with a
# program's own names; the shared library exports only the public API.
# Usage: symbols.sh STATIC_LIB SHARED_LIB
set -u
fail=0
if ! command -v nm >/dev/null 2>&1; then
	echo "SKIP: nm not found"
	exit 0
fi
bad=$(nm -g --defined-only "$1" | awk 'NF == 3 { print $3 }' | grep -v -e '^dmasim_' -e '^__odr_asan' | sort -u)
if [ -n "$bad" ]; then
	echo "FAIL: $1 defines symbols outside the dmasim_ namespace:"
	echo "$bad"
	fail=1
fi
bad=$(nm -D --defined-only "$2" | awk 'NF == 3 { print $3 }' | grep -E '^dmasim__|^[^d]' | sort -u)
if [ -n "$bad" ]; then
	echo "FAIL: $2 exports internal or foreign symbols:"
	echo "$bad"
	fail=1
fi
n=$(nm -D --defined-only "$2" | awk 'NF == 3 { print $3 }' | grep -c '^dmasim_[^_]')
[ $fail = 0 ] && echo "namespace clean; the shared library exports $n public functions"
exit $fail
