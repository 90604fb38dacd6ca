#!/bin/sh
# The repository stands alone: no text file names a design or kernel-notes
# file that is not in it, or points at sections of one (docs/ says it all).
# Usage: self_contained.sh REPO_TOP
cd "$1" || exit 2
pat='KERNEL\.md|SCHEMA\.md|DESIGN\.md|STYLE\.md|\.\./shared|§'
if git rev-parse --git-dir >/dev/null 2>&1; then
	hits=$(git ls-files -z | xargs -0 grep -snIHE "$pat" -- | grep -v '^tests/self_contained.sh:')
else
	hits=$(grep -srnIE "$pat" --exclude-dir=build --exclude-dir=.git . | grep -v '^./tests/self_contained.sh:')
fi
if [ -n "$hits" ]; then
	echo "FAIL: references to files outside the repository:"
	echo "$hits"
	exit 1
fi
echo "self_contained: no text file points outside the repository"
