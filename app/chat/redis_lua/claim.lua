-- ARGV[4..]: counsellor, now, max parallel. Returns {'ok', id}, {'none'} or {'limit'}.
local counsellor, now = ARGV[4], ARGV[5]
if active_count(counsellor) >= tonumber(ARGV[6]) then return {'limit'} end
while true do
  local id = redis.call('LPOP', P .. 'queue')
  if not id then return {'none'} end
  local c = P .. 'c:' .. id
  if redis.call('HGET', c, 'state') == 'waiting' then
    redis.call('HSET', c, 'state', 'active', 'counsellor', counsellor)
    redis.call('ZADD', P .. 'k:' .. counsellor, redis.call('HGET', c, 'n'), id)
    add_message(id, 'system', 'joined', now)
    return {'ok', id}
  end
end
