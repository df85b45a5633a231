#!/bin/sh
# Replay each fuzz target's corpus/ and regress/ inputs through its driver.c
# build (no libFuzzer needed); print "name... ok|fail" and the summary line.
# Usage: replay.sh BUILDDIR fuzz_target ...  (from the repository root)
dir=$1; shift
fail=0; pass=0
for t in "$@"; do
	n=${t#fuzz_}
	if "$dir/$t" "tests/fuzz/corpus/$n" "tests/fuzz/regress/$n" \
	    >"$dir/$t.log" 2>&1; then
		echo "$t... ok ($(tail -n 1 "$dir/$t.log"))"
		pass=$((pass + 1))
	else
		echo "$t... fail"; cat "$dir/$t.log"; fail=$((fail + 1))
	fi
done
echo "fuzz replay: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
