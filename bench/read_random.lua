-- wrk script: GET SAFEGUARD_PATH with {id} replaced by a random child id in [SAFEGUARD_FIRST, SAFEGUARD_LAST]
-- (bench/scale.sh: chronology reads spread over a whole area, not one child's pages held in cache).
local common = dofile((debug.getinfo(1, "S").source:match("^@(.*/)") or "./") .. "wrk_common.lua")
local token = os.getenv("SAFEGUARD_TOKEN")
local path = os.getenv("SAFEGUARD_PATH")
local first = tonumber(os.getenv("SAFEGUARD_FIRST"))
local last = tonumber(os.getenv("SAFEGUARD_LAST"))

function init(args)
  math.randomseed(os.time() + (tonumber(tostring({}):match("0x(%x+)"), 16) or 0) % 100000)
end

request = function()
  return common.get((path:gsub("{id}", tostring(math.random(first, last)))), token)
end

done = common.done
