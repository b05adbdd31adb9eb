-- ARGV[4..]: id, token hash, nickname, first message, now, max waiting, cutoff for the
-- per-minute gate, max per minute, random member for `opened`, TTL of `opened`; then '1' if
-- proven (else '0'), and the unproven starts' max waiting and max per minute.
local id, token, nick, first, now = ARGV[4], ARGV[5], ARGV[6], ARGV[7], ARGV[8]
local opened, opened_unproven, unproven = P .. 'opened', P .. 'opened:unproven', P .. 'unproven'
local proven = ARGV[14] == '1'
clean_queue()
redis.call('ZREMRANGEBYSCORE', opened, '-inf', ARGV[10])
redis.call('ZREMRANGEBYSCORE', opened_unproven, '-inf', ARGV[10])
if redis.call('LLEN', P .. 'queue') >= tonumber(ARGV[9])
    or redis.call('ZCARD', opened) >= tonumber(ARGV[11]) then
  return 0
end
if not proven then
  local waiting = 0
  for _, other in ipairs(redis.call('SMEMBERS', unproven)) do
    local state = redis.call('HGET', P .. 'c:' .. other, 'state')
    if state == 'waiting' then
      waiting = waiting + 1
    elseif state ~= 'active' then
      redis.call('SREM', unproven, other)
    end
  end
  if waiting >= tonumber(ARGV[15])
      or redis.call('ZCARD', opened_unproven) >= tonumber(ARGV[16]) then
    return 0
  end
  redis.call('ZADD', opened_unproven, now, ARGV[12])
  redis.call('EXPIRE', opened_unproven, tonumber(ARGV[13]))
  redis.call('SADD', unproven, id)
  redis.call('EXPIRE', unproven, INDEX_TTL)
end
redis.call('ZADD', opened, now, ARGV[12])
redis.call('EXPIRE', opened, tonumber(ARGV[13]))
local n = redis.call('INCR', P .. 'serial')
redis.call('HSET', P .. 'c:' .. id, 'state', 'waiting', 'nick', nick, 'counsellor', '',
  'created', now, 'n', n, 'last_seq', 0, 'token', token, 'seen', now,
  'touched', now)
redis.call('SET', P .. 't:' .. token, id)
redis.call('RPUSH', P .. 'queue', id)
redis.call('ZADD', P .. 'chats', n, id)
if first ~= '' then add_message(id, 'visitor', first, now) end
touch(id)
return 1
