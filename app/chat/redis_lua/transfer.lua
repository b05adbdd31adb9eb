-- ARGV[4..]: id, counsellor, now, max parallel, the handing-over counsellor ('' for any).
-- Returns 'ok', 'gone' or 'limit'.
local id, counsellor, now = ARGV[4], ARGV[5], ARGV[6]
local c = P .. 'c:' .. id
local state, owner, n = unpack(redis.call('HMGET', c, 'state', 'counsellor', 'n'))
if state ~= 'active' or (ARGV[8] ~= '' and owner ~= ARGV[8]) then return 'gone' end
if active_count(counsellor) >= tonumber(ARGV[7]) then return 'limit' end
redis.call('ZREM', P .. 'k:' .. owner, id)
redis.call('ZADD', P .. 'k:' .. counsellor, n, id)
redis.call('HSET', c, 'counsellor', counsellor)
add_message(id, 'system', 'transferred', now)
return 'ok'
