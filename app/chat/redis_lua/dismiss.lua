-- ARGV[4..]: id, counsellor. Removes the tombstone if it is that counsellor's.
local id, counsellor = ARGV[4], ARGV[5]
local c = P .. 'c:' .. id
local state, owner = unpack(redis.call('HMGET', c, 'state', 'counsellor'))
if state == 'ended' and owner == counsellor then
  redis.call('DEL', c)
  redis.call('ZREM', P .. 'chats', id)
  redis.call('ZREM', P .. 'k:' .. counsellor, id)
end
return 0
