-- wrk script for "make bench": POST one complete, valid EIT response per
-- request, each with a fresh random UUID v4 as submission_id, and count
-- the statuses seen.  The path comes from the environment (BENCH_PATH),
-- and so may one extra header "Name: value" (BENCH_HEADER, e.g.
-- "Authorization: Kiosk KEY" for kiosk submissions).
-- done() prints one line "BENCH key=value ..." that bench/run.sh parses.

local path = os.getenv("BENCH_PATH") or "/api/v1/rounds/1/responses"
local header = os.getenv("BENCH_HEADER") or ""

-- The 19 questions of forms/ita-2563-eit.json and a plausible spread of
-- answers (mostly "3"/"4"; "no" to the reverse-scored bribery questions).
local L4 = { "e1a", "e1b", "e2", "e3", "e5", "e6a", "e6b", "e7", "e9",
	"e11", "e12", "e13", "e14", "e15" }
local YN_REV = { "e4a", "e4b", "e4c" }
local YN = { "e8", "e10" }
local L4_VALUES = { "1", "2", "2", "2", "3", "3", "3", "3", "3", "3", "3",
	"3", "3", "4", "4", "4", "4", "4", "4", "4" }

local threads = {}
local counter = 0

function setup(thread)
	counter = counter + 1
	thread:set("tid", counter)
	table.insert(threads, thread)
end

created, replayed, other = 0, 0, 0

function init(args)
	created, replayed, other = 0, 0, 0
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
	for i = 1, #L4 do
		parts[#parts + 1] = string.format('"%s":"%s"', L4[i],
		    L4_VALUES[math.random(1, #L4_VALUES)])
	end
	for i = 1, #YN_REV do
		parts[#parts + 1] = string.format('"%s":"%s"', YN_REV[i],
		    math.random(1, 10) == 1 and "yes" or "no")
	end
	for i = 1, #YN do
		parts[#parts + 1] = string.format('"%s":"%s"', YN[i],
		    math.random(1, 10) <= 7 and "yes" or "no")
	end
	local body = '{"submission_id":"' .. uuid4() .. '","answers":{' ..
	    table.concat(parts, ",") .. "}}"
	return wrk.format(nil, path, nil, body)
end

function response(status, headers, body)
	if status == 201 then
		created = created + 1
	elseif status == 200 then
		replayed = replayed + 1
	else
		other = other + 1
		if other <= 3 then
			io.stderr:write("bench: status " .. status .. ": " ..
			    body .. "\n")
		end
	end
end

function done(summary, latency, requests)
	local c, r, o = 0, 0, 0
	for _, t in ipairs(threads) do
		c = c + t:get("created")
		r = r + t:get("replayed")
		o = o + t:get("other")
	end
	local e = summary.errors
	io.write(string.format("BENCH requests=%d duration_us=%d rps=%.1f " ..
	    "p50_us=%d p90_us=%d p99_us=%d max_us=%d non2xx=%d created=%d " ..
	    "replayed=%d other=%d sockerr=%d\n",
	    summary.requests, summary.duration,
	    summary.requests / (summary.duration / 1e6),
	    latency:percentile(50), latency:percentile(90),
	    latency:percentile(99), latency.max, e.status, c, r, o,
	    e.connect + e.read + e.write + e.timeout))
end
