-- wrk script: POSTs JSON bodies read from the file in the WRK_BODIES environment variable (one JSON document
-- per line), round-robin, so every server sees the same texts in the same order.
local bodies = {}
local path = os.getenv("WRK_BODIES")
if path == nil then error("set WRK_BODIES to a file with one JSON request body per line") end
for line in io.lines(path) do
  if #line > 0 then bodies[#bodies + 1] = line end
end
if #bodies == 0 then error("WRK_BODIES file " .. path .. " has no bodies") end

local next_index = 1
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"

request = function()
  local body = bodies[next_index]
  next_index = next_index % #bodies + 1
  return wrk.format(nil, nil, nil, body)
end

