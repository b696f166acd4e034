-- What the wrk scripts share (bench/read.lua, read_random.lua, intake.lua): loaded with
-- dofile from the directory the script itself was loaded from, so it is found wherever wrk is started.
local M = {}

-- A GET of path as an agency's API client (SAFEGUARD_TOKEN), or as a person signed in when cookie is given.
function M.get(path, token, cookie)
  if cookie and cookie ~= "" then
    return wrk.format("GET", path, {["Cookie"] = cookie})
  end
  return wrk.format("GET", path, {["Authorization"] = "Bearer " .. token})
end

-- The one line bench/run.sh and bench/scale.sh read from every run.
function M.done(summary, latency, requests)
  io.write(string.format("RESULT requests=%d errors_status=%d duration_us=%d p50_us=%d p99_us=%d max_us=%d\n",
    summary.requests, summary.errors.status, summary.duration,
    latency:percentile(50), latency:percentile(99), latency.max))
end

return M
