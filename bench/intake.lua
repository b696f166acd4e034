-- wrk script: replays a synthetic area from `safeguard gen` (events.jsonl) into POST /api/v1/events, each
-- record with its own agency's token, so the benchmark sees what intake really sees: five agencies,
-- children found by NHS number, UPN or name, recording errors, households.
-- Environment: SAFEGUARD_EVENTS (the file), SAFEGUARD_TOKEN_<AGENCY> (one token per agency).
local common = dofile((debug.getinfo(1, "S").source:match("^@(.*/)") or "./") .. "wrk_common.lua")
local threads = {}

function setup(thread)
  table.insert(threads, thread)
  thread:set("tid", #threads - 1)
end

local records = {}
local n = 0

function init(args)
  -- Each thread sends every k-th record, so no record is sent twice while the file lasts.
  local k = tonumber(os.getenv("SAFEGUARD_THREADS"))
  local tokens = {}
  local i = 0
  for line in io.lines(os.getenv("SAFEGUARD_EVENTS")) do
    if i % k == tid then
      local agency, body = line:match('^{"agency":"([%w_]+)","request":(.*)}$')
      tokens[agency] = tokens[agency] or os.getenv("SAFEGUARD_TOKEN_" .. agency:upper())
      records[#records + 1] = wrk.format("POST", "/api/v1/events",
        {["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. tokens[agency]}, body)
    end
    i = i + 1
  end
end

request = function()
  n = n + 1
  return records[(n - 1) % #records + 1] -- past the end a record is sent again: a replay, answered 200
end

done = common.done
