-- wrk script: GET a child's chronology (the read path, with its audit entry committed before the answer).
local common = dofile((debug.getinfo(1, "S").source:match("^@(.*/)") or "./") .. "wrk_common.lua")
local token = os.getenv("SAFEGUARD_TOKEN")
local path = os.getenv("SAFEGUARD_PATH")
local cookie = os.getenv("SAFEGUARD_COOKIE") -- a page: the session cookie of a person signed in

request = function()
  return common.get(path, token, cookie)
end

done = common.done
