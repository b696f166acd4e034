-- wrk script: GET a child's chronology (the read path, with its audit entry committed before the answer).
local token = os.getenv("SAFEGUARD_TOKEN")
local path = os.getenv("SAFEGUARD_PATH")
local cookie = os.getenv("SAFEGUARD_COOKIE") -- a page: the session cookie of a person signed in

request = function()
  if cookie and cookie ~= "" then
    return wrk.format("GET", path, {["Cookie"] = cookie})
  end
  return wrk.format("GET", path, {["Authorization"] = "Bearer " .. token})
end

done = function(summary, latency, requests)
  io.write(string.format("RESULT requests=%d errors_status=%d duration_us=%d p50_us=%d p99_us=%d max_us=%d\n",
    summary.requests, summary.errors.status, summary.duration,
    latency:percentile(50), latency:percentile(99), latency.max))
end
