#!/bin/sh
# SPDX-License-Identifier: ISC
# Run suite targets side by side ("make test": the ASan+UBSan suite and
# the valgrind suite, each of which leaves a core mostly idle while its
# daemons are slowed down), each into its own log, printed whole when all
# are done so that the output stays readable; each failure is recorded in
# the tally (tests/suites.sh) and makes the exit status 1.
#
#   MAKE=make sh tests/together.sh TARGET...
out=$(dirname "$0")/out
mkdir -p "$out" || exit 1
: "${MAKE:=make}"
pids=
for t in "$@"; do
	$MAKE "$t" >"$out/$t.log" 2>&1 &
	pids="$pids $!:$t"
done
rc=0
for p in $pids; do
	pid=${p%%:*} t=${p#*:}
	if wait "$pid"; then
		cat "$out/$t.log"
	else
		cat "$out/$t.log"
		echo "together.sh: $t failed" >&2
		sh "$(dirname "$0")/suites.sh" fail "$t" >/dev/null 2>&1
		rc=1
	fi
done
exit $rc
