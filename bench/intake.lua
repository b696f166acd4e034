-- wrk script: POST /api/v1/events with a new source_ref each time. One record in four names a child
-- seen before (same name and date of birth), the rest are new children, as a busy intake day mixes them.
local threads = {}
local token = os.getenv("SAFEGUARD_TOKEN")
local letters = "abcdefghijklmnopqrstuvwxyz"

function setup(thread)
  table.insert(threads, thread)
  thread:set("tid", #threads)
end

local n = 0

local function name(i)
  local s = ""
  repeat
    local k = i % 26
    s = s .. letters:sub(k + 1, k + 1)
    i = math.floor(i / 26)
  until i == 0
  return s:sub(1, 1):upper() .. s:sub(2)
end

request = function()
  n = n + 1
  local child = (n % 4 == 0) and math.floor(n / 4) or n
  local body = string.format(
    '{"source_ref":"BENCH-%d-%d","kind":"concern","occurred_at":"2025-03-04T10:15:00Z",' ..
    '"subject":{"given_name":"%s","family_name":"Bench%s","dob":"2015-01-0%d","sex":"F",' ..
    '"postcode":"LS6 2AB","address":"%d Mill Lane"},' ..
    '"summary":"Benchmark record: came to school with a bruised cheek","details":{}}',
    tid, n, name(child), name(tid), 1 + child % 9, child % 200)
  return wrk.format("POST", "/api/v1/events",
    {["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. token}, body)
end

done = function(summary, latency, requests)
  io.write(string.format("RESULT requests=%d errors_status=%d duration_us=%d p50_us=%d p99_us=%d max_us=%d\n",
    summary.requests, summary.errors.status, summary.duration,
    latency:percentile(50), latency:percentile(99), latency.max))
end
