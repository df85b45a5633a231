-- wrk script for "make bench": GET one path over and over (the form
-- document, a static file) and count what came back.  done() prints one
-- line "BENCH key=value ..." that bench/run.sh parses.
--
-- Environment:
--   BENCH_PATH  the path to GET
--   BENCH_GZIP  "1": send "Accept-Encoding: gzip" (as every browser does)
--   BENCH_INM   a validator for "If-None-Match" (the ETag the server gave
--               for the same path and encoding), or empty for none
--
-- Counted per status: s200, s304, other (anything else; the first three
-- are printed to stderr), and gz: answers with "Content-Encoding: gzip".

local path = os.getenv("BENCH_PATH") or "/"
local gzip = os.getenv("BENCH_GZIP") == "1"
local inm = os.getenv("BENCH_INM") or ""

local threads = {}

function setup(thread)
	table.insert(threads, thread)
end

s200, s304, other, gz = 0, 0, 0, 0

function init(args)
	wrk.method = "GET"
	wrk.path = path
	wrk.headers["Accept"] = "*/*"
	if gzip then wrk.headers["Accept-Encoding"] = "gzip" end
	if inm ~= "" then wrk.headers["If-None-Match"] = inm end
end

function response(status, headers, body)
	if status == 200 then
		s200 = s200 + 1
	elseif status == 304 then
		s304 = s304 + 1
	else
		other = other + 1
		if other <= 3 then
			io.stderr:write("bench: status " .. status .. "\n")
		end
	end
	for k, v in pairs(headers) do
		if k:lower() == "content-encoding" and v:lower() == "gzip" then
			gz = gz + 1
		end
	end
end

function done(summary, latency, requests)
	local a, b, o, g = 0, 0, 0, 0
	for _, t in ipairs(threads) do
		a = a + t:get("s200")
		b = b + t:get("s304")
		o = o + t:get("other")
		g = g + t:get("gz")
	end
	local e = summary.errors
	io.write(string.format("BENCH requests=%d duration_us=%d rps=%.1f " ..
	    "p50_us=%d p99_us=%d s200=%d s304=%d other=%d gz=%d " ..
	    "bytes=%d sockerr=%d\n",
	    summary.requests, summary.duration,
	    summary.requests / (summary.duration / 1e6),
	    latency:percentile(50), latency:percentile(99), a, b, o, g,
	    summary.bytes, e.connect + e.read + e.write + e.timeout))
end
