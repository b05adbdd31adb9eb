-- ARGV[4..]: id, who ('visitor' or 'counsellor'), now, the counsellor acting ('' for any).
-- Marks that side "typing now" (a time, never text); the visitor typing is also seen.
-- Returns 'ok' or 'gone'.
local id, who, now = ARGV[4], ARGV[5], ARGV[6]
local c = P .. 'c:' .. id
local state, owner = unpack(redis.call('HMGET', c, 'state', 'counsellor'))
if state ~= 'active' or (ARGV[7] ~= '' and owner ~= ARGV[7]) then return 'gone' end
if who == 'visitor' then
  redis.call('HSET', c, 'vtyped', now, 'seen', now)
else
  redis.call('HSET', c, 'ctyped', now)
end
return 'ok'
