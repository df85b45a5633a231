# SPDX-License-Identifier: ISC
#
# bench/callgrind.sh: section 8 of "make bench" (issue 15), sourced by
# bench/run.sh after bench/issue15.sh (it uses their helpers: start,
# stop, say, fail, f, ratio, met; BIN, ROOT, T, REF, AS_ROOT).
#
#   bench_callgrind  instructions per stored response, ours and the
#                    reference server (--group), under callgrind: the
#                    same load (bench/submit.lua, public EIT responses,
#                    wrk -t2 -c8 for BENCH_CG_SECS), counted from after
#                    the server started (callgrind_control -z) to after
#                    the load (callgrind_control -d), divided by the
#                    rows stored.  Instruction counts do not move with
#                    a shared machine's load.
#   targets_cg, results_cg  its row of the Targets table and its section

CG_SECS=${BENCH_CG_SECS:-20}

# cg_one KIND (ours | ref): one counted run; sets CG_IR CG_ROWS CG_OUT.
cg_one() {
	d=$T/cg-$1
	rm -rf "$d"
	mkdir -p "$d"
	if [ "$1" = ours ]; then
		C="--db $d/db --secret $d/secret.key"
		# shellcheck disable=SC2086
		rid=$($BIN $C round create --form ita-2563-eit --title cg \
		    --public 2>>"$d/cli.err") && $BIN $C round open "$rid" \
		    >/dev/null 2>>"$d/cli.err" ||
		    fail "round create: $(cat "$d/cli.err")"
		# shellcheck disable=SC2086
		start cg-ours valgrind --tool=callgrind \
		    --callgrind-out-file="$d/cg.out" $BIN $C serve \
		    --rate-limits off --listen 127.0.0.1:0 $AS_ROOT
		path=/api/v1/rounds/$rid/responses
		# A respondent's page fetches the form before it submits.
		curl -s -o /dev/null \
		    "http://127.0.0.1:$PORT/api/v1/rounds/$rid/form"
	else
		start cg-ref valgrind --tool=callgrind \
		    --callgrind-out-file="$d/cg.out" "$REF" --db "$d/db" \
		    --listen 127.0.0.1:0 --group
		path=/api/v1/rounds/1/responses
	fi
	sleep 1
	callgrind_control -z "$SPID" >/dev/null 2>&1 ||
	    fail "callgrind_control -z $SPID"
	BENCH_PATH=$path BENCH_THREADS=2 timeout $((CG_SECS + 120)) \
	    wrk -t2 -c8 -d"$CG_SECS"s -s "$ROOT/bench/submit.lua" \
	    "http://127.0.0.1:$PORT" >"$d/wrk.out" 2>&1 ||
	    fail "wrk: $(cat "$d/wrk.out")"
	sleep 1
	# The dump is taken when a thread of the server next runs: poke it.
	callgrind_control -d "$SPID" >/dev/null 2>&1 &
	cgc=$!
	i=0
	while ! ls "$d"/cg.out.* >/dev/null 2>&1 && [ $i -lt 300 ]; do
		curl -s -o /dev/null "http://127.0.0.1:$PORT/healthz"
		sleep 0.2
		i=$((i + 1))
	done
	wait $cgc 2>/dev/null
	sleep 1
	stop
	CG_OUT=$(ls "$d"/cg.out.* 2>/dev/null | head -1)
	[ -n "$CG_OUT" ] || fail "callgrind wrote no dump for $1"
	CG_ROWS=$(sqlite3 "$d/db" "SELECT count(*) FROM responses")
	CG_IR=$(callgrind_annotate "$CG_OUT" 2>/dev/null |
	    awk '/PROGRAM TOTALS/ { gsub(",", "", $1); print $1 }')
	[ -n "$CG_IR" ] && [ "$CG_ROWS" -gt 0 ] ||
	    fail "callgrind: no count for $1"
}

# cg_part FILE PATTERN: inclusive instructions of the first function
# whose callgrind_annotate line contains PATTERN (0 if none).
cg_part() {
	awk -v p="$2" 'index($0, p) && !done { gsub(",", "", $1); print $1;
	    done = 1 } END { if (!done) print 0 }' "$1"
}

bench_callgrind() {
	for tool in valgrind callgrind_control callgrind_annotate; do
		command -v $tool >/dev/null 2>&1 ||
		    fail "$tool is missing (\"make bench\" installs valgrind)"
	done
	say "callgrind: the reference server and ours, $CG_SECS s each"
	cg_one ref
	CG_REF_IR=$CG_IR CG_REF_ROWS=$CG_ROWS
	callgrind_annotate --inclusive=yes "$CG_OUT" >"$T/cg-ref.txt" \
	    2>/dev/null
	cg_one ours
	CG_OURS_IR=$CG_IR CG_OURS_ROWS=$CG_ROWS
	callgrind_annotate --inclusive=yes "$CG_OUT" >"$T/cg-ours.txt" \
	    2>/dev/null
	CG_OURS_PER=$((CG_OURS_IR / CG_OURS_ROWS))
	CG_REF_PER=$((CG_REF_IR / CG_REF_ROWS))
	CG_RATIO=$(ratio "$CG_OURS_PER" "$CG_REF_PER")
	say "callgrind: ours $CG_OURS_PER, ref $CG_REF_PER instructions per" \
	    "response ($CG_RATIO ×)"
}

targets_cg() {
	cat <<TARGETS
| instructions per stored response ≤ 1.5 × the group-committing reference's (callgrind, the same load; section 8) | $(f "$CG_OURS_PER") against $(f "$CG_REF_PER"): $CG_RATIO × | $(met "$CG_RATIO" "<" 1.5001) |
TARGETS
}

# cg_row NAME PATTERN: a row of the breakdown, ours per response.
cg_row() {
	n=$(cg_part "$T/cg-ours.txt" "$2")
	echo "| $1 | $(f $((n / CG_OURS_ROWS))) | $(awk -v a="$n" \
	    -v b="$CG_OURS_IR" 'BEGIN { printf "%.0f", 100 * a / b }') % |"
}

results_cg() {
	ref_parse=$(( $(cg_part "$T/cg-ref.txt" "json_loadb [") / CG_REF_ROWS ))
	ref_zero=$(( $(cg_part "$T/cg-ref.txt" "memset") / CG_REF_ROWS ))
	cat <<RESULTS

## 8. Instructions per stored response (callgrind)

Each server in turn under \`valgrind --tool=callgrind\`, on a fresh
database: \`wrk -t2 -c8 -d${CG_SECS}s\` with \`bench/submit.lua\` (public
EIT responses as in section 1; ours after one \`GET\` of the form, as a
respondent's page does). The count runs from \`callgrind_control -z PID\`
(after start-up) to \`callgrind_control -d PID\` (after the load) and is
divided by the rows stored; \`callgrind_annotate\` reads it. Ours runs as
\`valgrind --tool=callgrind ita-survey serve --rate-limits off\`, the
reference as \`valgrind --tool=callgrind refserver --group\`
(\`bench/callgrind.sh\`).

| server | instructions | responses stored | per response |
| --- | --- | --- | --- |
| ours | $(f "$CG_OURS_IR") | $(f "$CG_OURS_ROWS") | $(f "$CG_OURS_PER") |
| ref group | $(f "$CG_REF_IR") | $(f "$CG_REF_ROWS") | $(f "$CG_REF_PER") |
| ours / ref | | | $CG_RATIO × |

Where ours goes, per stored response (inclusive: a row contains what its
function calls; from \`callgrind_annotate --inclusive=yes\`):

| part | instructions | of all |
| --- | --- | --- |
$(cg_row "parsing the body (jansson \`json_loadb\`, as the reference does)" "json_loadb [")
$(cg_row "libmicrohttpd zeroing each request's 16 KiB connection pool (\`memset\`)" "memset")
$(cg_row "the handler (\`api_responses_post\`), of which:" "api_public.c:api_responses_post [")
$(cg_row "· the answers checked against the form, canonical JSON (\`submit_check\`)" "submit.c:submit_check [")
$(cg_row "the writer's groups (\`group_run\`), of which:" "writer.c:group_run [")
$(cg_row "· COMMIT: the pages to the log (\`db_tx_commit\`)" "db.c:db_tx_commit [")
$(cg_row "· the response row under its random id (\`db_response_insert\`)" "db.c:db_response_insert [")
$(cg_row "· the submission's hash, the replay guard (\`db_submission_claim\`)" "db.c:db_submission_claim [")
$(cg_row "· counts, respondents, snapshot: one row a group (\`tally_finish\`)" "writer.c:tally_finish [")

The reference spends $(f "$ref_parse") instructions a response on parsing
and $(f "$ref_zero") in the same \`memset\` (libmicrohttpd's default 32 KiB
pool). Ours spends the same on parsing; what it does beyond the
reference is what the guarantees cost: the answers checked against the
form, a row under a random id (its pages land anywhere in the table, so
a commit writes more pages to the log than the reference's appended
rows), the replay guard, and the counts with their snapshot at each
multiple of \`min_cell\`.
RESULTS
}
