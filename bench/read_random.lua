-- wrk script: GET SAFEGUARD_PATH with {id} replaced by a random child id in [SAFEGUARD_FIRST, SAFEGUARD_LAST]
-- (bench/scale.sh: chronology reads spread over a whole area, not one child's pages held in cache).
local token = os.getenv("SAFEGUARD_TOKEN")
local path = os.getenv("SAFEGUARD_PATH")
local first = tonumber(os.getenv("SAFEGUARD_FIRST"))
local last = tonumber(os.getenv("SAFEGUARD_LAST"))

function init(args)
  math.randomseed(os.time() + (tonumber(tostring({}):match("0x(%x+)"), 16) or 0) % 100000)
end

request = function()
  local id = math.random(first, last)
  return wrk.format("GET", (path:gsub("{id}", tostring(id))), {["Authorization"] = "Bearer " .. token})
end

done = function(summary, latency, requests)
  io.write(string.format("RESULT requests=%d errors_status=%d duration_us=%d p50_us=%d p99_us=%d max_us=%d\n",
    summary.requests, summary.errors.status, summary.duration,
    latency:percentile(50), latency:percentile(99), latency.max))
end
