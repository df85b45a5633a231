#!/bin/sh
# SPDX-License-Identifier: ISC
# The HTTP tests: each *.test.mjs starts its own daemon(s) on port 0.
#
#   sh tests/http/run.sh [BIN] [basic]
#
# BIN (default build/ita-survey, or $ITA_BIN) is the binary under test;
# "basic" runs the subset "make valgrind" uses: every route family and
# the OIT watcher's fetches, without the argon2-heavy account and
# lock-out files and the fault loops (kill -9, disk full), which take
# minutes under valgrind and exercise no C path the subset misses; the
# full suite runs under ASan+UBSan.  ITA_VALGRIND=1 runs each daemon
# under valgrind.
set -e
if [ -n "$1" ] && [ "$1" != basic ]; then
	case $1 in
	/*) ITA_BIN=$1 ;;
	*) ITA_BIN=$PWD/$1 ;;
	esac
	export ITA_BIN
	shift
fi
basic=
if [ "$1" = basic ]; then
	basic=1
	shift
fi
if [ $# -gt 0 ]; then
	echo "usage: sh tests/http/run.sh [BIN] [basic]" >&2
	exit 2
fi
command -v node >/dev/null 2>&1 || { echo "run.sh: node is not installed" >&2; exit 1; }

cd "$(dirname "$0")"
# Files that measure time or load the machine on purpose (deadlines,
# throttles, kill -9 under load, the watcher's timeouts) run one at a
# time, after the rest; the rest run two at a time (each file starts its
# own daemons on free ports and temporary folders, so they cannot meet).
# Under valgrind everything runs one at a time.
serial="slowloris.test.mjs limits.test.mjs logthrottle.test.mjs \
    oit-watch.test.mjs crash.test.mjs faults.test.mjs"
if [ -n "$basic" ]; then
	set -- responses.test.mjs kiosk.test.mjs static.test.mjs scores.test.mjs \
	    hostile.test.mjs replay.test.mjs query.test.mjs exports.test.mjs \
	    audit.test.mjs tidy.test.mjs settings.test.mjs metrics.test.mjs \
	    tls.test.mjs oit-watch.test.mjs oit-api.test.mjs \
	    oit-report.test.mjs measures.test.mjs units.test.mjs \
	    compare.test.mjs caching.test.mjs writer.test.mjs
else
	set -- *.test.mjs
fi
timeout=120000
if [ "${ITA_VALGRIND:-0}" = 1 ]; then
	exec node --test --test-concurrency=1 --test-reporter=spec \
	    --test-timeout=600000 "$@"
fi
rest= ser=
for f in "$@"; do
	case " $serial " in
	*" $f "*) ser="$ser $f" ;;
	*) rest="$rest $f" ;;
	esac
done
# shellcheck disable=SC2086 # file names without spaces, split on purpose
node --test --test-concurrency=2 --test-reporter=spec \
    --test-timeout="$timeout" $rest
# shellcheck disable=SC2086
exec node --test --test-concurrency=1 --test-reporter=spec \
    --test-timeout="$timeout" $ser
