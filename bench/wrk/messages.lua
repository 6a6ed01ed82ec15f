-- wrk script: Bot Framework message activities for POST /api/messages, the same stream for
-- every target (our service, the botbuilder echo peer, the Kestrel echo limit).
--
--   wrk -t2 -c64 -d10s --latency -s bench/wrk/messages.lua http://127.0.0.1:PORT/api/messages \
--       -- nonce=<unique per run> users=10000 mix=scoring
--
-- Every request carries a unique activity id "<nonce>-<thread>-<counter>": the nonce keeps
-- rounds against one database apart (our service de-duplicates by id), the thread number and
-- a per-thread counter keep the connections of one run apart.
--
-- mix=scoring (default): a morning rush of landlords; user i is drawn uniformly from
-- load-0 .. load-(users-1), each already bound by Demo:Scale with one tenant 租客i.
--   40%  返回 租客i 今天 HH:MM   tenant return report (a write), arriving between 00:00 and 07:59 (on time;
--                               the same tenant and arrival twice is one return, so the time varies)
--   40%  积分                    score question (a read)
--   20%  代办 租客i 买菜          service report (a write)
-- mix=score: only score questions; mix=return: only return reports; mix=service: only service reports
-- (for profiling one path).

local thread_count = 0

function setup(thread)
  thread:set("thread_number", thread_count)
  thread_count = thread_count + 1
end

local nonce, users, mix
local counter = 0

function init(args)
  nonce = tostring(os.time())
  users = 10000
  mix = "scoring"
  for _, arg in ipairs(args) do
    local key, value = arg:match("^([%w_]+)=(.*)$")
    if key == "nonce" then nonce = value
    elseif key == "users" then users = tonumber(value)
    elseif key == "mix" then mix = value
    end
  end
  -- Different threads draw different users; the same nonce replays the same draw.
  local seed = 0
  for i = 1, #nonce do seed = (seed * 31 + nonce:byte(i)) % 2147483647 end
  math.randomseed(seed + 7919 * (thread_number or 0))
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/json"
end

local function command_for(user)
  local r = math.random()
  if mix == "score" or (mix == "scoring" and r >= 0.4 and r < 0.8) then
    return "积分"
  elseif mix == "return" or (mix == "scoring" and r < 0.4) then
    return string.format("返回 租客%d 今天 %02d:%02d", user, math.random(0, 7), math.random(0, 59))
  else
    return "代办 租客" .. user .. " 买菜"
  end
end

local body_format = table.concat({
  '{"type":"message"',
  ',"id":"%s"',
  ',"timestamp":"%s"',
  ',"localTimestamp":"%s"',
  ',"channelId":"emulator"',
  ',"from":{"id":"load-%d","name":"房东%d","role":"user"}',
  ',"recipient":{"id":"scoring-bot","name":"积分助手","role":"bot"}',
  ',"conversation":{"id":"conv-load-%d"}',
  ',"serviceUrl":"http://127.0.0.1:9/"',
  ',"locale":"zh-CN"',
  ',"textFormat":"plain"',
  ',"text":"%s"',
  ',"deliveryMode":"expectReplies"',
  ',"channelData":{"clientActivityID":"%s"}}',
})

-- Channels stamp activities to the millisecond (or finer); os.time() has whole seconds only, so the wall
-- clock is read through LuaJIT's FFI (wrk embeds LuaJIT) where it is available.
local has_ffi, ffi = pcall(require, "ffi")
if has_ffi then
  ffi.cdef("struct bench_timeval { long tv_sec; long tv_usec; }; int gettimeofday(struct bench_timeval *tv, void *tz);")
end
local timeval = has_ffi and ffi.new("struct bench_timeval") or nil

local function clock()
  if timeval and ffi.C.gettimeofday(timeval, nil) == 0 then
    return tonumber(timeval.tv_sec), math.floor(tonumber(timeval.tv_usec) / 1000)
  end
  return os.time(), 0
end

function request()
  counter = counter + 1
  local id = nonce .. "-" .. (thread_number or 0) .. "-" .. counter
  local user = math.random(0, users - 1)
  local now, ms = clock()
  local body = string.format(body_format,
    id,
    os.date("!%Y-%m-%dT%H:%M:%S", now) .. string.format(".%03dZ", ms),
    os.date("!%Y-%m-%dT%H:%M:%S", now) .. string.format(".%03d+00:00", ms),
    user, user, user,
    command_for(user),
    id)
  return wrk.format(nil, nil, nil, body)
end
