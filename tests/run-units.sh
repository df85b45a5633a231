#!/bin/sh
# Run each unit test binary from the repository root; print name... ok|fail.
dir=$1; shift
fail=0; pass=0
for t in "$@"; do
	if "$dir/$t" >"$dir/$t.log" 2>&1; then
		echo "$t... ok"; pass=$((pass + 1))
	else
		echo "$t... fail"; cat "$dir/$t.log"; fail=$((fail + 1))
	fi
done
echo "unit: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
