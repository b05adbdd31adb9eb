-- ARGV[4..]: counsellor, now, max parallel, the cutoff for presence (a visitor seen before it
-- is away). Returns {'ok', id}, {'none'} or {'limit'}.
-- Takes the longest-waiting chat whose visitor is present; an away visitor keeps their place.
local counsellor, now, cutoff = ARGV[4], ARGV[5], tonumber(ARGV[7])
if active_count(counsellor) >= tonumber(ARGV[6]) then return {'limit'} end
local q = P .. 'queue'
for _, id in ipairs(redis.call('LRANGE', q, 0, -1)) do
  local c = P .. 'c:' .. id
  local state, seen = unpack(redis.call('HMGET', c, 'state', 'seen'))
  if state ~= 'waiting' then
    redis.call('LREM', q, 0, id)
  elseif tonumber(seen) >= cutoff then
    redis.call('LREM', q, 0, id)
    redis.call('HSET', c, 'state', 'active', 'counsellor', counsellor)
    redis.call('ZADD', P .. 'k:' .. counsellor, redis.call('HGET', c, 'n'), id)
    add_message(id, 'system', 'joined', now)
    return {'ok', id}
  end
end
return {'none'}
