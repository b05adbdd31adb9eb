-- ARGV[4..]: token hash, now. Returns the chat id of a live chat, after marking the visitor seen.
local id = redis.call('GET', P .. 't:' .. ARGV[4])
if not id then return false end
local state = redis.call('HGET', P .. 'c:' .. id, 'state')
if state ~= 'waiting' and state ~= 'active' then return false end
redis.call('HSET', P .. 'c:' .. id, 'seen', ARGV[5])
if state == 'waiting' then clean_queue() end
touch(id)
return id
