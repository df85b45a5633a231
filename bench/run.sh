#!/bin/sh
# SPDX-License-Identifier: ISC
#
# bench/run.sh BIN: the benchmark of "make bench" (issue 6).  Writes
# bench/RESULTS.md.  Needs wrk, curl, sqlite3 (the CLI), cc, pkg-config and
# the -dev packages of libmicrohttpd, jansson and SQLite ("make bench"
# installs what is missing).  Traffic goes only to 127.0.0.1.  Every
# process it starts and its temporary folder are removed on exit, also on
# failure or Ctrl-C.
#
#   1. submissions: wrk (-t2 -c64 -d10s --latency, bench/submit.lua) against
#      ita-survey and against bench/refserver.c, alone and --group, at 256,
#      64, 16 and 1 connections; kiosk submissions (bench/submit.lua with
#      an "Authorization: Kiosk KEY" header) and IIT code submissions
#      (bench/submit.lua with a codes file, one fresh code a request) at 64 and
#      16; RUNS runs each, interleaved; every run on a fresh database,
#      checked afterwards (201s seen == rows stored).
#   2. reads: rounds of 10,000 and 1,000,000 responses written straight
#      into the database with the sqlite3 CLI, then the scores document,
#      the CSV and XLSX exports (HTTP; CSV also CLI) and the server's peak
#      RSS.
#   3. issuing 100,000 access codes with the CLI.
#   4.-7. (issue 15, bench/issue15.sh) the form document (wrk: gzip,
#      plain, a static file; bench/phoneload.c: If-None-Match); the bytes
#      a phone downloads for a whole IIT, first and second visit (curl);
#      whole IIT respondents per second at 16 and 64 connections
#      (bench/phoneload.c); a soak of the write-ahead log.
#
# Knobs (environment), for quick trials; "make bench" uses the defaults:
#   BENCH_RUNS (3), BENCH_SECS (10: at 64 connections), BENCH_CURVE_SECS
#   (5: at 256, 16 and 1, and for kiosk and IIT), BENCH_BIG (1000000),
#   BENCH_XLSX_TIMEOUT (60: seconds one XLSX export may take before it is
#   reported as timed out), BENCH_TMPDIR (/var/tmp: must be a real disk,
#   not tmpfs, or fsync costs nothing), BENCH_OUT (bench/RESULTS.md),
#   BENCH_SOAK_SECS (120), BENCH_SOAK_RATE (3000), BENCH_WAL_MAX (64; see
#   bench/issue15.sh), BENCH_ONLY (all: a comma-separated list of
#   sections to run: "classic" for 1-3 together, formdoc, phone,
#   respondent, soak; phone needs formdoc's server and runs it; without
#   classic the results go to bench/out/RESULTS.md, not RESULTS.md).

set -u

BIN=${1:-build/ita-survey}
cd "$(dirname "$0")/.." || exit 1
ROOT=$(pwd)
case $BIN in /*) ;; *) BIN=$ROOT/$BIN ;; esac
RUNS=${BENCH_RUNS:-3}
SECS=${BENCH_SECS:-10}
CURVE_SECS=${BENCH_CURVE_SECS:-5}
BIG=${BENCH_BIG:-1000000}
SMALL=10000
CODES=100000
XLSX_TIMEOUT=${BENCH_XLSX_TIMEOUT:-60}
# Access codes issued for one IIT run: more than it can use (well above
# the ~15,000/s seen for public submissions), at most the CLI's 1,000,000.
IIT_CODES=$((CURVE_SECS * 25000))
[ $IIT_CODES -gt 1000000 ] && IIT_CODES=1000000
OUT=${BENCH_OUT:-$ROOT/bench/RESULTS.md}
ONLY=${BENCH_ONLY:-}
# want SECTION: whether BENCH_ONLY (all when empty) names SECTION
want() {
	[ -z "$ONLY" ] && return 0
	case ",$ONLY," in
	*,"$1",*) return 0 ;;
	*,phone,*) [ "$1" = formdoc ] && return 0 ;;
	esac
	return 1
}
if ! want classic; then
	OUT=${BENCH_OUT:-$ROOT/bench/out/RESULTS.md}
	mkdir -p "$(dirname "$OUT")"
fi
PW=pw-long-enough

T=
PIDS=
say() { printf 'bench: %s\n' "$*" >&2; }
fail() { say "FAILED: $*"; exit 1; }

cleanup() {
	for p in $PIDS; do
		kill -TERM "$p" 2>/dev/null
	done
	for p in $PIDS; do
		i=0
		while kill -0 "$p" 2>/dev/null && [ $i -lt 50 ]; do
			sleep 0.1
			i=$((i + 1))
		done
		kill -KILL "$p" 2>/dev/null
		wait "$p" 2>/dev/null
	done
	PIDS=
	[ -n "$T" ] && rm -rf "$T"
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

for tool in wrk curl sqlite3 cc pkg-config timeout awk; do
	command -v $tool >/dev/null 2>&1 ||
	    fail "$tool is missing (\"make bench\" installs it)"
done
[ -x "$BIN" ] || fail "$BIN is missing (run make first)"
# 256 connections for wrk, as many for the server, and their files.
[ "$(ulimit -n)" != unlimited ] && [ "$(ulimit -n)" -lt 4096 ] &&
    { ulimit -n 4096 2>/dev/null || say "WARNING: ulimit -n is $(ulimit -n)"; }

T=$(mktemp -d "${BENCH_TMPDIR:-/var/tmp}/ita-bench.XXXXXX") ||
    fail "cannot make a temporary folder"
FSTYPE=$(df -PT "$T" 2>/dev/null | awk 'NR == 2 { print $2 }')
[ "$FSTYPE" = tmpfs ] && say "WARNING: $T is on tmpfs: fsync is free there"

# ---- helpers ----

now_ns() { date +%s%N; }
# ms A B: milliseconds between two now_ns values, 2 decimals
ms() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b - a) / 1e6 }'; }
# median of the numbers on stdin, one a line
median() {
	sort -g | awk '{ v[NR] = $1 } END { if (NR == 0) print "n/a";
	    else if (NR % 2) print v[(NR + 1) / 2];
	    else printf "%.2f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
# ratio A B with 2 decimals
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b + 0 == 0) print "n/a";
	else printf "%.2f", a / b }'; }
# f N [DEC]: N with DEC (0) decimals and thousands separators
f() {
	awk -v n="$1" -v d="${2:-0}" 'BEGIN {
		if (n == "n/a" || n == "") { print "n/a"; exit }
		s = sprintf("%." d "f", n); i = index(s, "."); frac = ""
		if (i > 0) { frac = substr(s, i); s = substr(s, 1, i - 1) }
		neg = substr(s, 1, 1) == "-"; if (neg) s = substr(s, 2)
		while (length(s) > 3) {
			frac = "," substr(s, length(s) - 2) frac
			s = substr(s, 1, length(s) - 3)
		}
		print (neg ? "-" : "") s frac }'
}
# met A OP B: "yes" or "**no**"
met() { awk -v a="$1" -v b="$3" -v op="$2" 'BEGIN {
	ok = (op == "<") ? (a + 0 < b + 0) : (a + 0 >= b + 0)
	print (a == "n/a") ? "n/a" : (ok ? "yes" : "**no**") }'; }

# fb BYTES: f for a plain number, else as is (e.g. "123 (partial)")
fb() { case $1 in *[!0-9]*|'') echo "$1" ;; *) f "$1" ;; esac; }
# mib KIB, usms MICROSECONDS: in MiB, in ms
mib() { awk -v k="$1" 'BEGIN { printf "%.1f", k / 1024 }'; }
usms() { awk -v u="$1" 'BEGIN { printf "%.2f", u / 1000 }'; }

# start NAME CMD...: run a server whose first line of stdout is
# "listening on http://127.0.0.1:PORT"; sets SPID and PORT.
start() {
	name=$1
	shift
	: >"$T/$name.out"	# no port of an earlier run read by mistake
	"$@" >"$T/$name.out" 2>"$T/$name.err" &
	SPID=$!
	PIDS="$PIDS $SPID"
	i=0
	PORT=
	while [ -z "$PORT" ]; do
		PORT=$(sed -n '1s|^listening on http://127\.0\.0\.1:\([0-9][0-9]*\)$|\1|p' \
		    "$T/$name.out")
		[ -n "$PORT" ] && break
		kill -0 "$SPID" 2>/dev/null ||
		    fail "$name did not start: $(cat "$T/$name.err")"
		i=$((i + 1))
		[ $i -gt 1200 ] && fail "$name did not start in 120 s"
		sleep 0.1
	done
}

# stop: SIGTERM the last started server and wait for it (30 s at most).
stop() {
	kill -TERM "$SPID" 2>/dev/null
	i=0
	while kill -0 "$SPID" 2>/dev/null && [ $i -lt 300 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	kill -KILL "$SPID" 2>/dev/null
	wait "$SPID" 2>/dev/null
	forget "$SPID"
}

# forget PID: it has ended; cleanup need not stop it.
forget() {
	rest=''
	for p in $PIDS; do
		[ "$p" = "$1" ] || rest="$rest $p"
	done
	PIDS=$rest
}

# wrk_run PORT PATH CONNS SECS: sets W_requests W_rps W_p50_us W_p99_us
# W_non2xx W_created W_replayed W_other W_sockerr W_exhausted W_conflict
# W_loaded from bench/submit.lua's line.  WRK_HEADER (an extra header) and
# WRK_CODES (a codes file: IIT responses with codes) choose the load.
wrk_run() {
	th=2
	[ "$3" -lt 2 ] && th=1
	W_exhausted=0 W_conflict=0 W_loaded=0
	BENCH_PATH=$2 BENCH_HEADER=${WRK_HEADER:-} BENCH_CODES=${WRK_CODES:-} \
	    BENCH_THREADS=$th timeout $(($4 + 60)) wrk -t$th -c"$3" -d"$4"s \
	    --latency --timeout 10s -s "$ROOT/bench/submit.lua" \
	    "http://127.0.0.1:$1" \
	    >"$T/wrk.out" 2>"$T/wrk.err" ||
	    fail "wrk: $(cat "$T/wrk.err" "$T/wrk.out")"
	line=$(grep '^BENCH ' "$T/wrk.out") ||
	    fail "wrk printed no result: $(cat "$T/wrk.err" "$T/wrk.out")"
	eval "$(printf '%s\n' "${line#BENCH }" | tr ' ' '\n' |
	    sed -n 's/^\([a-z0-9_]*\)=\([0-9.]*\)$/W_\1=\2/p')"
}

# shellcheck source=bench/issue15.sh
. "$ROOT/bench/issue15.sh"
# shellcheck source=bench/callgrind.sh
. "$ROOT/bench/callgrind.sh"

# issue15: the sections of issue 15 that BENCH_ONLY asks for
issue15() {
	build15
	if want formdoc; then
		bench_formdoc
		if want phone; then bench_phone; else stop; fi
	fi
	want respondent && bench_respondent
	want soak && bench_soak
	if want callgrind; then bench_callgrind; fi
}

# serve refuses root without --user: run as root, the bench keeps root
# knowingly (it measures the server, not the account).
AS_ROOT=
[ "$(id -u)" = 0 ] && AS_ROOT="--user root"

# ---- the machine ----

DATE=$(date -u '+%Y-%m-%d %H:%M UTC')
NPROC=$(nproc)
CPU=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)
KERNEL=$(uname -sr)
MEM=$(awk '/^MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)
DEV=$(df -P "$T" | awk 'NR == 2 { print $1 }')
BLK=$(basename "$DEV" 2>/dev/null)
ROT=$(cat "/sys/block/$BLK/queue/rotational" 2>/dev/null || echo "?")
MODEL=$(cat "/sys/block/$BLK/device/model" 2>/dev/null | tr -s ' ')
case $BLK in
vd*) DISK="virtio disk $DEV (virtual machine; rotational flag $ROT)" ;;
nvme*) DISK="NVMe $DEV ${MODEL:-}" ;;
*) DISK="$DEV ${MODEL:-} (rotational flag $ROT)" ;;
esac
# How many synced 4 KiB writes per second the disk takes: the ceiling of
# a server that commits each request alone.
DD=$(dd if=/dev/zero of="$T/dd" bs=4k count=500 oflag=dsync 2>&1 |
    awk '/copied/ { for (i = 1; i <= NF; i++) if ($i == "s,") s = $(i - 1)
	} END { if (s > 0) printf "%.0f", 500 / s; else print "n/a" }')
rm -f "$T/dd"
LOAD0=$(cut -d' ' -f1-3 /proc/loadavg)
V_SQLITE=$(pkg-config --modversion sqlite3 2>/dev/null)
V_SQLITE_CLI=$(sqlite3 --version | cut -d' ' -f1)
V_MHD=$(pkg-config --modversion libmicrohttpd 2>/dev/null)
V_JANSSON=$(pkg-config --modversion jansson 2>/dev/null)
V_WRK=$(wrk --version 2>&1 | head -1 | cut -d' ' -f2)
V_CC=$(cc --version | head -1)
REV=$(git rev-parse --short HEAD 2>/dev/null || echo "not a git checkout")
[ -n "$(git status --porcelain -- server migrations forms 2>/dev/null)" ] &&
    REV="$REV + uncommitted changes in server/"

say "machine: $NPROC x $CPU, $KERNEL, $DISK, $FSTYPE, ${DD} synced writes/s"

# ---- the reference server ----

REF=$T/refserver
# shellcheck disable=SC2046
cc -O2 -o "$REF" "$ROOT/bench/refserver.c" \
    $(pkg-config --cflags --libs libmicrohttpd jansson sqlite3) -lpthread ||
    fail "cannot build bench/refserver.c"

# Without sections 1-3 (BENCH_ONLY): the others alone, a shorter file.
if ! want classic; then
	issue15
	{
		cat <<EOF
# ita-survey benchmark (partial: $ONLY)

Written by \`BENCH_ONLY=$ONLY bench/run.sh\`. Run of $DATE, ita-survey
$REV, on $NPROC × $CPU, $MEM, $KERNEL, $DISK, $FSTYPE; load average
$LOAD0 at the start, $(cut -d' ' -f1-3 /proc/loadavg) at the end.
Figures are medians of $RUNS runs unless said otherwise.
EOF
		targets15
		results15
	} >"$OUT.tmp" && mv "$OUT.tmp" "$OUT" || fail "cannot write $OUT"
	say "wrote $OUT"
	sed -n '/^## Targets (issue 15)/,/^Checks/p' "$OUT" >&2
	[ "$FAILS15" -eq 0 ] || fail "$FAILS15 checks failed (see $OUT)"
	exit 0
fi

# ---- 1. submissions ----

# one_run KIND CONNS SECS REP: one fresh database, one wrk run, the checks.
# KIND: ours, ourscodes (ours, the database also holding CODES access
# codes issued to an IIT round), kiosk (ours, a non-public EIT round, every
# request with a kiosk's key), iit (ours, an IIT round, every request with
# its own access code), refalone, refgroup.  Appends "kind conns rep rps
# p50 p99 non2xx created stored check sockerr vmhwm" to runs.
one_run() {
	kind=$1 conns=$2 secs=$3 rep=$4
	d=$T/$kind-$conns-$rep
	mkdir -p "$d"
	WRK_HEADER='' WRK_CODES=''
	case $kind in ours*|kiosk|iit)
		C="--db $d/db --secret $d/secret.key"
		case $kind in
		iit) rargs="--form ita-2563-iit" ;;
		kiosk) rargs="--form ita-2563-eit" ;;
		*) rargs="--form ita-2563-eit --public" ;;
		esac
		# shellcheck disable=SC2086
		rid=$($BIN $C round create $rargs --title B \
		    2>>"$d/cli.err") || fail "round create: $(cat "$d/cli.err")"
		$BIN $C round open "$rid" 2>>"$d/cli.err" >/dev/null ||
		    fail "round open: $(cat "$d/cli.err")"
		if [ "$kind" = kiosk ]; then
			key=$($BIN $C kiosk add --round "$rid" --name K \
			    2>>"$d/cli.err") && [ -n "$key" ] ||
			    fail "kiosk add: $(cat "$d/cli.err")"
			WRK_HEADER="Authorization: Kiosk $key"
		fi
		if [ "$kind" = iit ]; then
			$BIN $C tokens issue --round "$rid" --count $IIT_CODES \
			    >"$d/codes" 2>>"$d/cli.err" ||
			    fail "tokens issue: $(cat "$d/cli.err")"
			[ "$(wc -l <"$d/codes")" -eq $IIT_CODES ] ||
			    fail "tokens issue printed $(wc -l <"$d/codes") codes"
			WRK_CODES=$d/codes
		fi
		if [ "$kind" = ourscodes ]; then
			iid=$($BIN $C round create --form ita-2563-iit \
			    --title codes 2>>"$d/cli.err") &&
			    $BIN $C tokens issue --round "$iid" --count $CODES \
			    >/dev/null 2>>"$d/cli.err" ||
			    fail "tokens issue: $(cat "$d/cli.err")"
		fi
		# shellcheck disable=SC2086
		start ours $BIN $C serve --rate-limits off \
		    --listen 127.0.0.1:0 $AS_ROOT
		path=/api/v1/rounds/$rid/responses
		# A respondent's page fetches the form before it submits.
		curl -s -o /dev/null \
		    "http://127.0.0.1:$PORT/api/v1/rounds/$rid/form"
		;;
	*)
		flag=
		[ "$kind" = refgroup ] && flag=--group
		# shellcheck disable=SC2086
		start "$kind" "$REF" --db "$d/db" --listen 127.0.0.1:0 $flag
		path=/api/v1/rounds/1/responses
		;;
	esac
	wrk_run "$PORT" "$path" "$conns" "$secs"
	hwm=$(awk '/^VmHWM/ { print $2 }' "/proc/$SPID/status")
	stop
	if [ "$kind" != refalone ] && [ "$kind" != refgroup ]; then
		# The exact count (scores --json shows it rounded down to
		# a multiple of min_cell, as every figure an admin sees).
		resp=$(sqlite3 "$d/db" "SELECT respondents FROM rounds
		    WHERE id = $rid")
		rows=$(sqlite3 "$d/db" "SELECT count(*) FROM responses")
		[ "$resp" = "$rows" ] || rows="$rows!=$resp"
		if [ "$kind" = iit ]; then
			# One code used per stored response, none lost.
			used=$(sqlite3 "$d/db" "SELECT count(*) FROM tokens
			    WHERE round_id = $rid AND used = 1")
			[ "$used" = "${rows%%!=*}" ] || rows="$rows!=used:$used"
			[ "$W_exhausted" -eq 0 ] || rows="$rows!=exhausted:$W_exhausted"
			IITLOG="$IITLOG $conns:$W_loaded:$used:$W_conflict"
		fi
	else
		rows=$(sqlite3 "$d/db" "SELECT count(*) FROM responses")
	fi
	# Nothing lost: every 201 is stored.  Nothing doubled: at most the
	# requests still in flight when wrk stopped (one per connection) are
	# stored without wrk seeing their 201; no replays, no other status.
	check=ok
	case $rows in *!=*) check=FAIL ;; esac
	[ "$check" = ok ] && { [ "$rows" -lt "$W_created" ] ||
	    [ "$rows" -gt $((W_created + conns)) ]; } && check=FAIL
	[ "$W_non2xx" -ne 0 ] || [ "$W_replayed" -ne 0 ] ||
	    [ "$W_other" -ne 0 ] || [ "$W_sockerr" -ne 0 ] && check=FAIL
	echo "$kind $conns $rep $W_rps $W_p50_us $W_p99_us $W_non2xx" \
	    "$W_created $rows $check $W_sockerr $hwm" >>"$T/runs"
	say "$kind c=$conns run $rep: $(f "$W_rps") req/s," \
	    "p50 $(usms "$W_p50_us") ms, p99 $(usms "$W_p99_us") ms," \
	    "201 seen $W_created, stored $rows, $check"
	rm -rf "$d"
}

: >"$T/runs"
IITLOG=
T1=$(now_ns)
rep=1
while [ $rep -le "$RUNS" ]; do
	for conns in 256 64 16 1; do
		secs=$CURVE_SECS
		[ $conns = 64 ] && secs=$SECS
		for kind in ours refalone refgroup; do
			one_run $kind $conns "$secs" $rep
		done
	done
	one_run ourscodes 64 "$CURVE_SECS" $rep
	for conns in 64 16; do
		one_run kiosk $conns "$CURVE_SECS" $rep
		one_run iit $conns "$CURVE_SECS" $rep
	done
	rep=$((rep + 1))
done
T1=$(ms "$T1" "$(now_ns)")

# med KIND CONNS FIELD: median of a column of runs (4 rps, 5 p50, 6 p99)
med() {
	awk -v k="$1" -v c="$2" -v fld="$3" '$1 == k && $2 == c { print $fld }' \
	    "$T/runs" | median
}
for kind in ours refalone refgroup; do
	for conns in 256 64 16 1; do
		eval "RPS_${kind}_$conns=\$(med $kind $conns 4)"
		eval "P50_${kind}_$conns=\$(med $kind $conns 5)"
		eval "P99_${kind}_$conns=\$(med $kind $conns 6)"
	done
done
RPS_ourscodes_64=$(med ourscodes 64 4)
P50_ourscodes_64=$(med ourscodes 64 5)
P99_ourscodes_64=$(med ourscodes 64 6)
for kind in kiosk iit; do
	for conns in 64 16; do
		eval "RPS_${kind}_$conns=\$(med $kind $conns 4)"
		eval "P50_${kind}_$conns=\$(med $kind $conns 5)"
		eval "P99_${kind}_$conns=\$(med $kind $conns 6)"
	done
done
NON2XX=$(awk '{ s += $7 } END { print s + 0 }' "$T/runs")
FAILS=$(awk '$10 != "ok"' "$T/runs" | wc -l)

# ---- 2. reads at scale ----

say "reads: building rounds of $SMALL and $BIG responses"
D=$T/reads
mkdir -p "$D"
C="--db $D/db --secret $D/secret.key"
# shellcheck disable=SC2086
RS=$($BIN $C round create --form ita-2563-eit --title "bench $SMALL" \
    --public) || fail "round create"
# shellcheck disable=SC2086
RB=$($BIN $C round create --form ita-2563-eit --title "bench $BIG" \
    --public) || fail "round create"

# fill_sql ROUND N: SQL storing N random, complete EIT responses in ROUND
# (answers as the server stores them: a JSON object with sorted keys) with
# their answer counts and published snapshot (the round's tallies row,
# migrations/0006_tallies.sql), respondents and scored.
fill_sql() {
	r=$1 n=$2
	l4="substr('12223333333334444444', 1 + abs(random()) % 20, 1)"
	yr="CASE WHEN abs(random()) % 10 = 0 THEN 'yes' ELSE 'no' END"
	yn="CASE WHEN abs(random()) % 10 < 7 THEN 'yes' ELSE 'no' END"
	cols='' obj='' sums='' rows=''
	# The 19 questions of forms/ita-2563-eit.json, in sorted order.
	for q in e10:yn e11:l4 e12:l4 e13:l4 e14:l4 e15:l4 e1a:l4 e1b:l4 \
	    e2:l4 e3:l4 e4a:yr e4b:yr e4c:yr e5:l4 e6a:l4 e6b:l4 e7:l4 \
	    e8:yn e9:l4; do
		c=${q%%:*}
		case ${q#*:} in
		l4) e=$l4 vals="1 2 3 4" ;;
		yr) e=$yr vals="yes no" ;;
		*) e=$yn vals="yes no" ;;
		esac
		cols="$cols${cols:+, }$e AS $c"
		obj="$obj${obj:+, }'$c', $c"
		for v in $vals; do
			sums="$sums${sums:+, }sum($c = '$v') AS \"$c=$v\""
			rows="$rows${rows:+ UNION ALL }SELECT '$c' AS q, '$v' AS v, \"$c=$v\" AS n FROM s"
		done
	done
	cat <<EOF
PRAGMA synchronous=OFF;
PRAGMA cache_size=-131072;
PRAGMA temp_store=MEMORY;
BEGIN;
CREATE TEMP TABLE g AS WITH RECURSIVE c(i) AS
  (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < $n)
  SELECT $cols FROM c;
INSERT INTO responses (id, round_id, answers)
  SELECT randomblob(16), $r, json_object($obj) FROM g ORDER BY 1;
CREATE TEMP TABLE s AS SELECT $sums FROM g;
DELETE FROM tallies WHERE round_id = $r AND unit_id = 0;
INSERT INTO tallies (round_id, unit_id, running, published)
  SELECT $r, 0, j, j FROM (SELECT json_group_object(q, json(vals)) AS j
  FROM (SELECT q, json_group_object(v, n) AS vals FROM ($rows)
  WHERE n > 0 GROUP BY q));
UPDATE rounds SET respondents = $n, scored = $n - $n % min_cell
  WHERE id = $r;
DROP TABLE temp.g;
DROP TABLE temp.s;
COMMIT;
PRAGMA wal_checkpoint(TRUNCATE);
EOF
}
t=$(now_ns)
fill_sql "$RS" $SMALL | sqlite3 "$D/db" >/dev/null || fail "filling round $RS"
fill_sql "$RB" "$BIG" | sqlite3 "$D/db" >/dev/null || fail "filling round $RB"
TFILL=$(ms "$t" "$(now_ns)")
DBSIZE=$(du -k "$D/db" | awk '{ printf "%.0f", $1 / 1024 }')
# shellcheck disable=SC2086
$BIN $C round open "$RS" >/dev/null && $BIN $C round open "$RB" >/dev/null ||
    fail "round open"
printf '%s\n' "$PW" | $BIN $C admin add bench >/dev/null 2>&1 ||
    fail "admin add"

# shellcheck disable=SC2086
start reads $BIN $C serve --rate-limits off --listen 127.0.0.1:0 $AS_ROOT
RSS0=$(awk '/^VmHWM/ { print $2 }' "/proc/$SPID/status")
URL=http://127.0.0.1:$PORT
curl -fsS -o /dev/null -c "$D/jar" -H 'Content-Type: application/json' \
    -d "{\"username\":\"bench\",\"password\":\"$PW\"}" \
    "$URL/api/v1/admin/login" || fail "admin login"

# scores ROUND N: SC = median ms of 20 GETs of the scores document, SCORE
# its overall score; checks it.
scores() {
	: >"$D/times"
	i=0
	while [ $i -lt 20 ]; do
		curl -fsS -b "$D/jar" -o "$D/scores.json" -w '%{time_total}\n' \
		    "$URL/api/v1/admin/rounds/$1/scores" >>"$D/times" ||
		    fail "GET scores of round $1"
		i=$((i + 1))
	done
	# Published, every figure from all N responses, a plausible score.
	chk=$(sqlite3 :memory: "WITH d(j) AS (SELECT readfile('$D/scores.json'))
	    SELECT json_extract(j, '\$.published') = 1
	    AND json_extract(j, '\$.respondents') = $2
	    AND json_extract(j, '\$.scored') = $2
	    AND json_extract(j, '\$.score') BETWEEN 50 AND 100
	    AND (SELECT count(*) FROM json_tree(j) WHERE key = 'n') = 19
	    AND (SELECT count(*) FROM json_tree(j)
		WHERE key = 'n' AND value != $2) = 0
	    FROM d")
	[ "$chk" = 1 ] || fail "scores of round $1 look wrong: $(head -c 400 "$D/scores.json")"
	SCORE=$(sqlite3 :memory: "WITH d(j) AS (SELECT
	    readfile('$D/scores.json')) SELECT json_extract(j, '\$.score')
	    || ' (grade ' || json_extract(j, '\$.grade') || ')' FROM d")
	SC=$(awk '{ printf "%.3f\n", $1 * 1000 }' "$D/times" | median)
}
# VmRSS of the server every 10 ms while it serves the big round (VmHWM
# alone would also hold the login's argon2id, 64 MiB by design).
: >"$D/rss"
(
	while kill -0 "$SPID" 2>/dev/null && [ ! -e "$D/rss.stop" ]; do
		awk '/^VmRSS/ { print $2 }' "/proc/$SPID/status" 2>/dev/null
		sleep 0.01
	done >"$D/rss"
) &
WPID=$!
PIDS="$PIDS $WPID"
RSSLOGIN=$(awk '/^VmHWM/ { print $2 }' "/proc/$SPID/status")
say "reads: scores"
scores "$RS" $SMALL
SC_S=$SC
scores "$RB" "$BIG"
SC_B=$SC SCORE_B=$SCORE

# shellcheck disable=SC2086
$BIN $C round close "$RS" >/dev/null && $BIN $C round close "$RB" >/dev/null ||
    fail "round close"

# export_http ROUND N: EX = median seconds of RUNS CSV exports over HTTP,
# EX_BYTES and EX_ROWS (data rows) of the last one, checked against N.
export_http() {
	: >"$D/times"
	i=0
	while [ $i -lt "$RUNS" ]; do
		curl -fsS -b "$D/jar" -o "$D/export.csv" \
		    -w '%{time_total}\n' --max-time 300 \
		    "$URL/api/v1/admin/rounds/$1/export?what=responses&format=csv" \
		    >>"$D/times" || fail "GET export of round $1"
		i=$((i + 1))
	done
	EX_BYTES=$(wc -c <"$D/export.csv")
	EX_ROWS=$(($(wc -l <"$D/export.csv") - 1))
	[ "$EX_ROWS" -eq "$2" ] || fail "export of round $1: $EX_ROWS rows, not $2"
	rm -f "$D/export.csv"
	EX=$(median <"$D/times")
}
say "reads: exports over HTTP"
export_http "$RS" $SMALL
EX_S=$EX EXB_S=$EX_BYTES EXR_S=$EX_ROWS
export_http "$RB" "$BIG"
EX_B=$EX EXB_B=$EX_BYTES EXR_B=$EX_ROWS

# export_xlsx ROUND: XL = median seconds of up to RUNS XLSX exports over
# HTTP (one only when it takes over 20 s; "> XLSX_TIMEOUT s (timed out)"
# when curl gave up), XL_N how many runs, XL_BYTES the size of the last,
# checked to be a ZIP (an .xlsx is one) holding a worksheet.
export_xlsx() {
	: >"$D/times"
	i=0 XL_BYTES=n/a XL_N=0
	while [ $i -lt "$RUNS" ]; do
		curl -sS -b "$D/jar" -o "$D/export.xlsx" -w '%{http_code} %{time_total}\n' \
		    --max-time "$XLSX_TIMEOUT" \
		    "$URL/api/v1/admin/rounds/$1/export?what=responses&format=xlsx" \
		    >"$D/xl.out" 2>"$D/xl.err"
		rc=$?
		if [ $rc -eq 28 ]; then
			say "XLSX export of round $1 timed out after $XLSX_TIMEOUT s"
			XL="> $XLSX_TIMEOUT s (timed out)" XL_N=1
			XL_BYTES="$(wc -c <"$D/export.xlsx" 2>/dev/null || echo 0) (partial)"
			rm -f "$D/export.xlsx"
			# Let the server notice the closed connection.
			sleep 2
			return
		fi
		[ $rc -eq 0 ] && [ "$(cut -d' ' -f1 "$D/xl.out")" = 200 ] ||
		    fail "GET xlsx export of round $1: $(cat "$D/xl.out" "$D/xl.err")"
		cut -d' ' -f2 "$D/xl.out" >>"$D/times"
		i=$((i + 1))
		awk -v t="$(cut -d' ' -f2 "$D/xl.out")" 'BEGIN { exit !(t > 20) }' &&
		    break
	done
	XL_N=$i
	XL_BYTES=$(wc -c <"$D/export.xlsx")
	[ "$(head -c 2 "$D/export.xlsx")" = PK ] &&
	    grep -aq 'xl/worksheets/' "$D/export.xlsx" ||
	    fail "XLSX export of round $1 is not an .xlsx file"
	rm -f "$D/export.xlsx"
	XL=$(f "$(median <"$D/times")" 3)" s"
}
say "reads: XLSX exports over HTTP"
export_xlsx "$RS"
XL_S=$XL XLB_S=$XL_BYTES XLN_S=$XL_N
export_xlsx "$RB"
XL_B=$XL XLB_B=$XL_BYTES XLN_B=$XL_N
RSS=$(awk '/^VmHWM/ { print $2 }' "/proc/$SPID/status")
touch "$D/rss.stop"
wait "$WPID"
forget "$WPID"
RSSMAX=$(sort -n "$D/rss" | tail -1)
RSSN=$(wc -l <"$D/rss")
RSSNOW=$(awk '/^VmRSS/ { print $2 }' "/proc/$SPID/status")
stop

# The floor under an export: the sqlite3 CLI reading the same rows in the
# same order and writing them out.
say "reads: baselines and CLI"
cli_med() {	# CMD...: MED = median seconds of RUNS runs
	: >"$D/times"
	i=0
	while [ $i -lt "$RUNS" ]; do
		t=$(now_ns)
		"$@" >/dev/null 2>>"$D/cli.err" || fail "$*: $(cat "$D/cli.err")"
		echo "$(ms "$t" "$(now_ns)") / 1000" | awk '{ printf "%.3f\n", $1 / $3 }' >>"$D/times"
		i=$((i + 1))
	done
	MED=$(median <"$D/times")
}
cli_med sqlite3 "$D/db" \
    "SELECT answers FROM responses WHERE round_id = $RB ORDER BY id"
RAW_B=$MED
# shellcheck disable=SC2086
cli_med $BIN $C round list
CLISTART=$MED
# shellcheck disable=SC2086
cli_med $BIN $C export --round "$RB" --what responses --format csv \
    --out "$D/cli.csv"
CLIEX_B=$MED
rm -f "$D/cli.csv"
# shellcheck disable=SC2086
cli_med $BIN $C export --round "$RS" --what responses --format csv \
    --out "$D/cli.csv"
CLIEX_S=$MED
rm -f "$D/cli.csv"

# ---- 3. issuing codes ----

say "issuing $CODES codes"
# In the same database as the big round, as an agency would.
# shellcheck disable=SC2086
RI=$($BIN $C round create --form ita-2563-iit --title "bench codes") ||
    fail "round create"
# shellcheck disable=SC2086
cli_med $BIN $C tokens issue --round "$RI" --count $CODES
TOK=$MED
ISSUED=$(sqlite3 "$D/db" "SELECT count(*) FROM tokens WHERE round_id = $RI")
[ "$ISSUED" -eq $((CODES * RUNS)) ] ||
    fail "tokens: $ISSUED stored, not $((CODES * RUNS))"
# The SQLite floor: the same number of 32-byte keys into a table like
# tokens, in one transaction, with the sqlite3 CLI.
cli_med sqlite3 "$D/raw.db" "PRAGMA journal_mode=WAL;
    PRAGMA synchronous=FULL;
    CREATE TABLE IF NOT EXISTS t (hash BLOB PRIMARY KEY, round_id INTEGER,
	used INTEGER NOT NULL DEFAULT 0) WITHOUT ROWID;
    BEGIN; WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c
	WHERE i < $CODES) INSERT INTO t (hash, round_id)
	SELECT randomblob(32), 1 FROM c; COMMIT;"
RAWTOK=$MED

# ---- 4.-7. issue 15 ----

issue15
LOAD1=$(cut -d' ' -f1-3 /proc/loadavg)

# ---- RESULTS.md ----

R64G=$(ratio "$RPS_ours_64" "$RPS_refgroup_64")
R64A=$(ratio "$RPS_ours_64" "$RPS_refalone_64")
TMP=$OUT.tmp
{
cat <<EOF
# ita-survey benchmark

Written by \`make bench\` (\`bench/run.sh\`); overwritten by every run.
Run of $DATE, ita-survey $REV. Figures are medians of $RUNS runs unless
said otherwise. The machine is small and may be shared: the load average
was $LOAD0 when the run started and $LOAD1 when it ended, so read the
ratios to the reference server (measured in the same run, interleaved
with ours) before the absolute figures.

## Targets (issue 6)

| target | measured | met? |
| --- | --- | --- |
| ≥ 8,000 durable submissions/s at 64 connections (public EIT round) | $(f "$RPS_ours_64") /s | $(met "$RPS_ours_64" ">=" 8000) |
| p99 latency < 25 ms at 64 connections | $(usms "$P99_ours_64") ms | $(met "$(usms "$P99_ours_64")" "<" 25) |
| ≥ 0.8 × the group-committing reference server | $R64G × ($(f "$RPS_refgroup_64") /s) | $(met "$R64G" ">=" 0.8) |
| ≥ 0.8 × the commit-per-request reference server | $R64A × ($(f "$RPS_refalone_64") /s) | $(met "$R64A" ">=" 0.8) |
| ≥ 8,000 /s at 64 connections with $(f "$CODES") access codes issued in the database | $(f "$RPS_ourscodes_64") /s | $(met "$RPS_ourscodes_64" ">=" 8000) |
| the same 8,000 /s and p99 < 25 ms at 256 connections (public EIT round; the issue sets the bar at 64) | $(f "$RPS_ours_256") /s, p99 $(usms "$P99_ours_256") ms | $(met "$RPS_ours_256" ">=" 8000) / $(met "$(usms "$P99_ours_256")" "<" 25) |
| the same at 64 connections for kiosk submissions (the bar of the public round, applied here) | $(f "$RPS_kiosk_64") /s, p99 $(usms "$P99_kiosk_64") ms | $(met "$RPS_kiosk_64" ">=" 8000) / $(met "$(usms "$P99_kiosk_64")" "<" 25) |
| the same at 64 connections for IIT code submissions (51 answers and one access code each; the bar of the public round, applied here) | $(f "$RPS_iit_64") /s, p99 $(usms "$P99_iit_64") ms | $(met "$RPS_iit_64" ">=" 8000) / $(met "$(usms "$P99_iit_64")" "<" 25) |
| scores document of a $(f "$BIG")-response round < 10 ms | $SC_B ms | $(met "$SC_B" "<" 10) |
| CSV export of that round < 3 s | $(f "$EX_B" 2) s | $(met "$EX_B" "<" 3) |
| XLSX export of that round < 8 s | $XL_B | $(met "$(echo "$XL_B" | awk '/^[0-9][0-9,.]* s$/ { gsub(/[ ,s]/, ""); print; next } { print /timed out/ ? 1e9 : "n/a" }')" "<" 8) |
| peak RSS < 32 MiB serving that round: VmRSS sampled every 10 ms during its scores and exports | $(mib "$RSSMAX") MiB | $(met "$(mib "$RSSMAX")" "<" 32) |
| the same as the server's VmHWM, which includes the admin login (argon2id) | $(mib "$RSS") MiB | $(met "$(mib "$RSS")" "<" 32) |

Checks: $NON2XX non-2xx answers in all submission runs; $FAILS of
$(wc -l <"$T/runs") runs failed the count check (below).
EOF
targets15
cat <<EOF

## Machine

| | |
| --- | --- |
| CPU | $NPROC × $CPU |
| memory | $MEM |
| kernel | $KERNEL |
| disk | $DISK, $FSTYPE; $DD synced 4 KiB writes/s (\`dd oflag=dsync\`) |
| SQLite | $V_SQLITE (library; CLI $V_SQLITE_CLI) |
| libmicrohttpd | $V_MHD |
| jansson | $V_JANSSON |
| wrk | $V_WRK |
| compiler | $V_CC |

## 1. Submissions

\`wrk -t2 -cN --latency\` (\`-t1\` at one connection), $SECS s at 64
connections and $CURVE_SECS s at 256, 16 and 1, with \`bench/submit.lua\`: each
request a \`POST /api/v1/rounds/ID/responses\` of all 19 answers of
\`ita-2563-eit\`, valid, random, under a fresh random UUID v4
\`submission_id\`, over keep-alive. Every run starts its server on a fresh
database. **ours**: \`ita-survey serve --rate-limits off\`, a public EIT
round. **ref alone**: \`bench/refserver.c\` (libmicrohttpd pool of 4,
jansson parse, one INSERT of the body per request in its own transaction,
one connection under a mutex). **ref group**: the same with \`--group\` (a
writer thread commits everything queued in one transaction, suspend and
resume). All: WAL, \`synchronous=FULL\`, 201 only after COMMIT.

| connections | server | requests/s | p50 ms | p99 ms | ours / this |
| --- | --- | --- | --- | --- | --- |
EOF
for conns in 256 64 16 1; do
	for kind in ours refalone refgroup; do
		eval "r=\$RPS_${kind}_$conns p50=\$P50_${kind}_$conns p99=\$P99_${kind}_$conns"
		eval "o=\$RPS_ours_$conns"
		case $kind in
		ours) name=ours rr="" ;;
		refalone) name="ref alone" rr="$(ratio "$o" "$r") ×" ;;
		*) name="ref group" rr="$(ratio "$o" "$r") ×" ;;
		esac
		echo "| $conns | $name | $(f "$r") | $(usms "$p50") | $(usms "$p99") | $rr |"
	done
done
cat <<EOF

The same public EIT load on a database that also holds $(f "$CODES") access
codes issued to another (IIT) round, as any agency running both surveys
will have ($CURVE_SECS s at 64 connections, median of $RUNS):

| connections | server | requests/s | p50 ms | p99 ms | / ours without codes |
| --- | --- | --- | --- | --- | --- |
| 64 | ours + codes | $(f "$RPS_ourscodes_64") | $(usms "$P50_ourscodes_64") | $(usms "$P99_ourscodes_64") | $(ratio "$RPS_ourscodes_64" "$RPS_ours_64") × |

Kiosk and IIT code submissions ($CURVE_SECS s each, median of $RUNS, every
run on a fresh database, checked as above). **kiosk**: a non-public EIT
round with one kiosk (\`kiosk add\`), \`bench/submit.lua\` with the header
\`Authorization: Kiosk KEY\` on every request. **IIT**: an IIT round
(\`ita-2563-iit\`) with $(f "$IIT_CODES") access codes issued before the
run (\`tokens issue\`), \`bench/submit.lua\` with the codes: all 51 answers, valid
and random, a fresh UUID v4 \`submission_id\` and the next unused code
(each wrk thread its own disjoint share of the codes file), so every 201
used one code once; also checked: codes marked used = rows stored, no
409, codes never ran out. The reference server has no such variants: the
ratio is to ours on the public round at the same connections, same run.

| connections | load | requests/s | p50 ms | p99 ms | / ours public EIT |
| --- | --- | --- | --- | --- | --- |
| 64 | kiosk | $(f "$RPS_kiosk_64") | $(usms "$P50_kiosk_64") | $(usms "$P99_kiosk_64") | $(ratio "$RPS_kiosk_64" "$RPS_ours_64") × |
| 16 | kiosk | $(f "$RPS_kiosk_16") | $(usms "$P50_kiosk_16") | $(usms "$P99_kiosk_16") | $(ratio "$RPS_kiosk_16" "$RPS_ours_16") × |
| 64 | IIT codes | $(f "$RPS_iit_64") | $(usms "$P50_iit_64") | $(usms "$P99_iit_64") | $(ratio "$RPS_iit_64" "$RPS_ours_64") × |
| 16 | IIT codes | $(f "$RPS_iit_16") | $(usms "$P50_iit_16") | $(usms "$P99_iit_16") | $(ratio "$RPS_iit_16" "$RPS_ours_16") × |

IIT runs, connections:codes loaded by wrk:codes used:409s —$(printf ' %s' $IITLOG).

Every run, in the order run (fresh database each; "201 seen" counted by
the wrk script; "stored" is the rows in the table, and for ours also the
round's \`respondents\` in \`scores --json\`, which must agree; the check
passes when no answer was other than 201, and stored − 201 seen is
between 0 and the connections, the requests that were in flight when wrk
stopped):

| server | conns | run | requests/s | p50 ms | p99 ms | non-2xx | socket errors | 201 seen | stored | check | VmHWM MiB |
| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |
EOF
awk 'BEGIN { name["ours"] = "ours"; name["ourscodes"] = "ours + codes"
	name["kiosk"] = "ours kiosk"; name["iit"] = "ours IIT codes"
	name["refalone"] = "ref alone"; name["refgroup"] = "ref group" }
    { printf "| %s | %s | %s | %.0f | %.2f | %.2f | %s | %s | %s | %s | %s | %.1f |\n",
    name[$1], $2, $3, $4, $5 / 1000, $6 / 1000, $7, $11, $8, $9, $10,
    $12 / 1024 }' "$T/runs"
cat <<EOF

Section time: $(awk -v m="$T1" 'BEGIN { printf "%.0f", m / 1000 }') s.

## 2. Reads at scale

Rounds of $(f "$SMALL") and $(f "$BIG") responses written straight into a
migrated database with the sqlite3 CLI ($(awk -v m="$TFILL" 'BEGIN { printf "%.0f", m / 1000 }') s;
database $DBSIZE MiB): random 16-byte ids, complete random EIT answers
as JSON with sorted keys, the answer counts and the published snapshot
computed from the same rows, \`respondents\` and \`scored\` set. Rows are
inserted in id order, so pages are packed (a database grown by live
traffic has emptier, scattered pages). The scores document was checked:
published, \`respondents\` = \`scored\` = round size, every question's
\`n\` = round size; overall score of the big round $SCORE_B. Times from
\`curl -w %{time_total}\` over loopback with an admin session.

| figure | $(f "$SMALL") responses | $(f "$BIG") responses |
| --- | --- | --- |
| \`GET .../scores\` (median of 20) | $SC_S ms | $SC_B ms |
| \`GET .../export?what=responses&format=csv\` (closed round, median of $RUNS) | $(f "$EX_S" 3) s | $(f "$EX_B" 3) s |
| its size | $(f "$EXB_S") bytes | $(f "$EXB_B") bytes |
| its data rows (checked = round size) | $(f "$EXR_S") | $(f "$EXR_B") |
| \`GET .../export?what=responses&format=xlsx\` (closed round, median of $XLN_S / $XLN_B: one run only when it takes > 20 s; curl gives up after $XLSX_TIMEOUT s) | $XL_S | $XL_B |
| its size | $(fb "$XLB_S") bytes | $(fb "$XLB_B") bytes |
| CLI \`export --what responses --format csv --out FILE\` (median of $RUNS) | $CLIEX_S s | $CLIEX_B s |
| floor: \`sqlite3\` CLI printing the same rows in the same order | | $RAW_B s |
| HTTP export / floor | | $(ratio "$EX_B" "$RAW_B") × |

Server memory: VmHWM (peak RSS) $(mib "$RSS0") MiB just after start,
$(mib "$RSSLOGIN") MiB after the admin login (argon2id verification,
\`crypto_pwhash_MEMLIMIT_INTERACTIVE\` = 64 MiB, needs that much once per
login whatever the round size), $(mib "$RSS") MiB after the scores and
exports of both rounds. VmRSS sampled every 10 ms during those scores
and exports (CSV and XLSX) ($RSSN samples): at most $(mib "$RSSMAX") MiB; $(mib "$RSSNOW")
MiB at the end. Every CLI command on this database starts
with an integrity check: \`round list\` takes $CLISTART s (median of
$RUNS), included in the CLI figures.

## 3. Issuing codes

| figure | measured |
| --- | --- |
| \`tokens issue --round ID --count $(f "$CODES") > /dev/null\` (IIT round, in the database above, median of $RUNS) | $TOK s |
| of which CLI start on that database (\`round list\`, above) | $CLISTART s |
| floor: \`sqlite3\` CLI inserting $(f "$CODES") random 32-byte keys into a table like \`tokens\`, one transaction, WAL, synchronous=FULL | $RAWTOK s |
| issue / floor | $(ratio "$TOK" "$RAWTOK") × |
EOF
results15
} >"$TMP" || fail "cannot write $TMP"
mv "$TMP" "$OUT" || fail "cannot write $OUT"
say "wrote $OUT"
sed -n '/^## Targets/,/^Checks/p' "$OUT" >&2
[ "$FAILS" -eq 0 ] && [ "$NON2XX" -eq 0 ] || fail "some submission runs failed their checks (see $OUT)"
[ "$FAILS15" -eq 0 ] || fail "$FAILS15 checks of sections 4-7 failed (see $OUT)"
exit 0
