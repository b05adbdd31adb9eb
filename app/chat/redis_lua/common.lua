-- Shared by every script: ARGV[1] is the prefix, ARGV[2] the live TTL, ARGV[3] the index TTL.
local P, LIVE_TTL, INDEX_TTL = ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3])

local function refresh_indexes(counsellor)
  for _, key in ipairs({P .. 'queue', P .. 'chats', P .. 'serial'}) do
    redis.call('EXPIRE', key, INDEX_TTL)
  end
  if counsellor and counsellor ~= '' then
    redis.call('EXPIRE', P .. 'k:' .. counsellor, INDEX_TTL)
  end
end

local function touch(id)
  local c = P .. 'c:' .. id
  local token, counsellor = unpack(redis.call('HMGET', c, 'token', 'counsellor'))
  local keys = {c, P .. 'm:' .. id, P .. 'r:' .. id, P .. 't:' .. token, P .. 's:' .. id,
    P .. 'sm:' .. id}  -- s:, sm: the side thread (app/chat/redis_side.py), if there is one
  for _, key in ipairs(keys) do
    redis.call('EXPIRE', key, LIVE_TTL)
  end
  refresh_indexes(counsellor)
end

local function add_message(id, author, text, now)
  local seq = redis.call('HINCRBY', P .. 'c:' .. id, 'last_seq', 1)
  redis.call('XADD', P .. 'm:' .. id, seq .. '-0', 'a', author, 't', text, 'at', now)
  redis.call('HSET', P .. 'c:' .. id, 'touched', now)
  if author == 'visitor' then redis.call('ZADD', P .. 'r:' .. id, now, seq) end
  -- The message is here: its author is no longer "typing".
  if author ~= 'system' then redis.call('HDEL', P .. 'c:' .. id, author:sub(1, 1) .. 'typed') end
  touch(id)
  return seq
end

-- Drop queue entries of chats that expired in Redis (the safety net), so they hold no place.
local function clean_queue()
  local q = P .. 'queue'
  for _, id in ipairs(redis.call('LRANGE', q, 0, -1)) do
    if redis.call('HGET', P .. 'c:' .. id, 'state') ~= 'waiting' then
      redis.call('LREM', q, 0, id)
    end
  end
end

local function active_count(counsellor)
  local k, count = P .. 'k:' .. counsellor, 0
  for _, id in ipairs(redis.call('ZRANGE', k, 0, -1)) do
    local state, owner = unpack(redis.call('HMGET', P .. 'c:' .. id, 'state', 'counsellor'))
    if not state then
      redis.call('ZREM', k, id)
    elseif state == 'active' and owner == counsellor then
      count = count + 1
    end
  end
  return count
end
