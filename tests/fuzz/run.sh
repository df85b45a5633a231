#!/bin/sh
# Run each libFuzzer target for SECONDS on a copy of its seed corpus in
# BUILDDIR/corpus/NAME (kept between runs, so coverage builds up), with the
# regress/ inputs replayed first.  Crashes land in BUILDDIR/crashes/NAME/;
# copy each to tests/fuzz/regress/NAME/ once fixed.  Exits 1 on any crash.
# Usage: run.sh BUILDDIR SECONDS fuzz_target ...  (from the repository root)
dir=$1; secs=$2; shift 2
bad=0
for t in "$@"; do
	n=${t#fuzz_}
	mkdir -p "$dir/corpus/$n" "$dir/crashes/$n"
	cp tests/fuzz/corpus/"$n"/* "$dir/corpus/$n/"
	dict=
	[ -f "tests/fuzz/$n.dict" ] && dict="-dict=tests/fuzz/$n.dict"
	echo "$t: fuzzing for ${secs}s"
	if ASAN_OPTIONS=detect_leaks=1 "$dir/$t" -max_total_time="$secs" \
	    -timeout=10 -print_final_stats=1 $dict \
	    -artifact_prefix="$dir/crashes/$n/" \
	    "$dir/corpus/$n" "tests/fuzz/regress/$n" >"$dir/$t.log" 2>&1
	then
		runs=$(sed -n 's/^stat::number_of_executed_units: *//p' \
		    "$dir/$t.log")
		cov=$(grep -E '^#[0-9]+' "$dir/$t.log" | tail -n 1 |
		    sed -n 's/.*\(cov: [0-9]* ft: [0-9]* corp: [^ ]*\).*/\1/p')
		echo "$t... ok: $runs runs, $cov"
	else
		echo "$t... CRASH (log: $dir/$t.log)"
		grep -E '^(==[0-9]+==ERROR|SUMMARY|.*invariant failed)' \
		    "$dir/$t.log"
		ls "$dir/crashes/$n/"
		bad=1
	fi
done
exit $bad
