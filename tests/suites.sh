#!/bin/sh
# The tally behind "make test"'s closing line, in tests/out/suites: each
# suite target records itself there once it has passed; "make test" starts
# a fresh tally, records the suite target that failed (make stops there) and
# prints the counts.
#
#   sh tests/suites.sh start        empty the tally
#   sh tests/suites.sh pass NAME    suite NAME passed
#   sh tests/suites.sh fail NAME    suite NAME failed: record it, print the
#                                   summary and exit 1
#   sh tests/suites.sh summary      print "suites: N passed, M failed";
#                                   exit 1 if M > 0
out=$(dirname "$0")/out
tally=$out/suites

summary() {
	pass=0; fail=0; failed=
	if [ -f "$tally" ]; then
		pass=$(grep -c '^pass ' "$tally")
		fail=$(grep -c '^fail ' "$tally")
		failed=$(sed -n 's/^fail //p' "$tally" | tr '\n' ' ')
	fi
	if [ "$fail" -eq 0 ]; then
		echo "suites: $pass passed, 0 failed"
	else
		echo "suites: $pass passed, $fail failed (${failed% })"
		return 1
	fi
}

case $1 in
start)
	mkdir -p "$out" && : >"$tally" ;;
pass|fail)
	[ $# -eq 2 ] || { echo "usage: sh tests/suites.sh $1 NAME" >&2; exit 2; }
	mkdir -p "$out" && echo "$1 $2" >>"$tally" || exit 1
	[ "$1" = pass ] || { summary; exit 1; } ;;
summary)
	summary ;;
*)
	echo "usage: sh tests/suites.sh start|pass NAME|fail NAME|summary" >&2
	exit 2 ;;
esac
