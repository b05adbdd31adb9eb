-- ARGV[4..]: id, reason, now, tombstone TTL, and for the sweep a condition ('' for none): the
-- state the chat must be in, a time field, and a limit its age must exceed; then the ending
-- counsellor ('' for any).
-- Wipes everything about the chat and leaves the tombstone. Returns {state it was in, created}
-- if it ended the chat, else 0.
local id, reason, now = ARGV[4], ARGV[5], ARGV[6]
local c = P .. 'c:' .. id
local state, counsellor, token, created, n = unpack(redis.call(
  'HMGET', c, 'state', 'counsellor', 'token', 'created', 'n'))
if state ~= 'waiting' and state ~= 'active' then return 0 end
if ARGV[11] ~= '' and counsellor ~= ARGV[11] then return 0 end
if ARGV[8] ~= '' then
  local age = tonumber(now) - tonumber(redis.call('HGET', c, ARGV[9]))
  if state ~= ARGV[8] or age <= tonumber(ARGV[10]) then return 0 end
end
redis.call('DEL', c, P .. 'm:' .. id, P .. 'r:' .. id, P .. 't:' .. token)
redis.call('DEL', P .. 's:' .. id, P .. 'sm:' .. id)  -- the side thread and its reader
redis.call('LREM', P .. 'queue', 0, id)
redis.call('SREM', P .. 'unproven', id)
redis.call('HSET', c, 'state', 'ended', 'counsellor', counsellor, 'created', created, 'n', n,
  'reason', reason, 'ended', now)
redis.call('EXPIRE', c, tonumber(ARGV[7]))
refresh_indexes(counsellor)
return {state, created}
