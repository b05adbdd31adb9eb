-- ARGV[4..]: id, colleague, the asking counsellor. Returns 'ok', 'gone' or 'asked'.
local id, colleague, by = ARGV[4], ARGV[5], ARGV[6]
local state, owner = unpack(redis.call('HMGET', P .. 'c:' .. id, 'state', 'counsellor'))
if state ~= 'active' or owner ~= by or colleague == by then return 'gone' end
local s = P .. 's:' .. id
if redis.call('HSETNX', s, 'colleague', colleague) == 0 then return 'asked' end
redis.call('HSET', s, 'reading', '0', 'last_seq', 0)
touch(id)
return 'ok'
