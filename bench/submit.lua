-- wrk script for "make bench": POST one complete, valid response per
-- request, each with a fresh random UUID v4 as submission_id, and count
-- the statuses seen.  done() prints one line "BENCH key=value ..." that
-- bench/run.sh parses.
--
-- Environment:
--   BENCH_PATH    the round's responses path
--   BENCH_HEADER  one extra header "Name: value" (e.g. "Authorization:
--                 Kiosk KEY" for kiosk submissions), or empty
--   BENCH_CODES   empty: EIT responses (forms/ita-2563-eit.json), no code.
--                 Else a file of access codes, one a line, from "tokens
--                 issue": IIT responses (forms/ita-2563-iit.json), each
--                 with the next unused code.  Thread k of n (1-based,
--                 n = BENCH_THREADS, wrk's -t) takes lines k, k + n, ...:
--                 the threads' codes are disjoint and no code is sent
--                 twice.  A thread that runs out counts "exhausted" and
--                 sends no code (refused by the server: a non-2xx, so the
--                 run fails its check rather than reusing a code).
--   BENCH_RATE    empty or 0: as fast as the connections go.  Else the
--                 requests per second of the whole run: each thread
--                 (BENCH_THREADS of them) its share, each request held
--                 back by wrk's delay() until its turn.

local path = os.getenv("BENCH_PATH") or "/api/v1/rounds/1/responses"
local header = os.getenv("BENCH_HEADER") or ""
local codes_file = os.getenv("BENCH_CODES") or ""
local nthreads = tonumber(os.getenv("BENCH_THREADS") or "1")
local iit = codes_file ~= ""

-- Questions as "code:scale"; YN questions get "yes" with the given
-- chance in ten (rarely to the reverse-scored bribery questions).
local EIT = { "e1a:L4", "e1b:L4", "e2:L4", "e3:L4", "e4a:YN1", "e4b:YN1",
	"e4c:YN1", "e5:L4", "e6a:L4", "e6b:L4", "e7:L4", "e8:YN7", "e9:L4",
	"e10:YN7", "e11:L4", "e12:L4", "e13:L4", "e14:L4", "e15:L4" }
local IIT = { "i1a:L4", "i1b:L4", "i2:L4", "i3a:L4", "i3b:L4", "i3c:L4",
	"i4a:YN3", "i4b:YN3", "i4c:YN3", "i5a:YN3", "i5b:YN3", "i5c:YN3",
	"i6a:YN3", "i6b:YN3", "i6c:YN3", "i7:L4", "i8a:L4", "i8b:L4", "i9:L4",
	"i10:L4", "i11a:L4", "i11b:L4", "i12a:L4", "i12b:L4", "i12c:L4",
	"i13:L4", "i14:L4", "i15:L4", "i16:L4", "i17:L4", "i18a:L4",
	"i18b:L4", "i18c:L4", "i19:L4", "i20:L4", "i21:L4", "i22:L4",
	"i23:L4", "i24:L4", "i25:L4", "i26a:YN3", "i26b:YN3", "i27:L4",
	"i28a:L4", "i28b:L4", "i28c:L4", "i29:L4", "i30a:L4", "i30b:L4",
	"i30c:L4", "i30d:L4" }
-- A plausible spread of L4 answers (mostly "3"/"4").
local L4_VALUES = { "1", "2", "2", "2", "3", "3", "3", "3", "3", "3", "3",
	"3", "3", "4", "4", "4", "4", "4", "4", "4" }
local names, scales = {}, {}
for i, q in ipairs(iit and IIT or EIT) do
	names[i], scales[i] = q:match("^([^:]+):(.*)$")
end

local threads = {}
local counter = 0

function setup(thread)
	counter = counter + 1
	thread:set("tid", counter)
	table.insert(threads, thread)
end

created, replayed, other, exhausted, conflict, loaded = 0, 0, 0, 0, 0, 0
local codes, nextcode = {}, 1

function init(args)
	created, replayed, other, exhausted, conflict = 0, 0, 0, 0, 0
	-- Seed each thread from /dev/urandom (48 bits, exact in a double):
	-- threads sharing a seed would send the same UUIDs.
	local seed = (os.time() % 65536) * 65536 + (tid or 0)
	local f = io.open("/dev/urandom", "rb")
	if f then
		local b = f:read(6)
		f:close()
		seed = 0
		for i = 1, #b do seed = seed * 256 + b:byte(i) end
	end
	math.randomseed(seed)
	if iit then
		local k = 0
		for line in io.lines(codes_file) do
			if line ~= "" then
				if k % nthreads == (tid or 1) - 1 then
					codes[#codes + 1] = line
				end
				k = k + 1
			end
		end
	end
	loaded = #codes
	wrk.method = "POST"
	wrk.headers["Content-Type"] = "application/json"
	local name, value = header:match("^([^:]+):%s*(.*)$")
	if name then wrk.headers[name] = value end
end

local function hex16()
	return string.format("%04x", math.random(0, 0xffff))
end

local function uuid4()
	return hex16() .. hex16() .. "-" .. hex16() .. "-" ..
	    string.format("4%03x", math.random(0, 0xfff)) .. "-" ..
	    string.format("%x%03x", math.random(8, 11), math.random(0, 0xfff))
	    .. "-" .. hex16() .. hex16() .. hex16()
end

function request()
	local parts = {}
	for i = 1, #names do
		local v
		if scales[i] == "L4" then
			v = L4_VALUES[math.random(1, #L4_VALUES)]
		else
			v = math.random(1, 10) <= tonumber(scales[i]:sub(3)) and
			    "yes" or "no"
		end
		parts[i] = '"' .. names[i] .. '":"' .. v .. '"'
	end
	local token = ""
	if iit then
		if nextcode <= #codes then
			token = ',"token":"' .. codes[nextcode] .. '"'
			nextcode = nextcode + 1
		else
			exhausted = exhausted + 1
		end
	end
	local body = '{"submission_id":"' .. uuid4() .. '"' .. token ..
	    ',"answers":{' .. table.concat(parts, ",") .. "}}"
	return wrk.format(nil, path, nil, body)
end

function response(status, headers, body)
	if status == 201 then
		created = created + 1
	elseif status == 200 then
		replayed = replayed + 1
	else
		other = other + 1
		if status == 409 then conflict = conflict + 1 end
		if other <= 3 then
			io.stderr:write("bench: status " .. status .. ": " ..
			    body .. "\n")
		end
	end
end

function done(summary, latency, requests)
	local c, r, o, x, cf, l = 0, 0, 0, 0, 0, 0
	for _, t in ipairs(threads) do
		c = c + t:get("created")
		r = r + t:get("replayed")
		o = o + t:get("other")
		x = x + t:get("exhausted")
		cf = cf + t:get("conflict")
		l = l + t:get("loaded")
	end
	local e = summary.errors
	io.write(string.format("BENCH requests=%d duration_us=%d rps=%.1f " ..
	    "p50_us=%d p90_us=%d p99_us=%d max_us=%d non2xx=%d created=%d " ..
	    "replayed=%d other=%d sockerr=%d exhausted=%d conflict=%d " ..
	    "loaded=%d\n",
	    summary.requests, summary.duration,
	    summary.requests / (summary.duration / 1e6),
	    latency:percentile(50), latency:percentile(90),
	    latency:percentile(99), latency.max, e.status, c, r, o,
	    e.connect + e.read + e.write + e.timeout, x, cf, l))
end

-- BENCH_RATE: each thread hands out turns 1 / (its share of the rate)
-- apart; delay() waits for the request's turn (wrk asks it before each
-- request).  Turns missed while the server was slow are made up (the
-- phones waited), but for one second at most: no long bursts.
local rate = tonumber(os.getenv("BENCH_RATE") or "") or 0
if rate > 0 then
	local ffi = require("ffi")
	ffi.cdef [[
		struct bench_timespec { long tv_sec; long tv_nsec; };
		int clock_gettime(int clk, struct bench_timespec *ts);
	]]
	local ts = ffi.new("struct bench_timespec")
	local gap = 1000 * nthreads / rate
	local turn

	local function now_ms()
		ffi.C.clock_gettime(1, ts)	-- CLOCK_MONOTONIC
		return tonumber(ts.tv_sec) * 1000 + tonumber(ts.tv_nsec) / 1e6
	end

	function delay()
		local t = now_ms()
		turn = turn and turn + gap or t
		if turn < t - 1000 then turn = t - 1000 end
		return turn > t and math.floor(turn - t) or 0
	end
end
