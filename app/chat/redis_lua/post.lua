-- ARGV[4..]: id, author, text, now, rate cutoff, visitor messages per minute, the posting
-- counsellor ('' for any). Returns {'ok', seq}, {'gone'} or {'rate'}.
local id, author, text, now = ARGV[4], ARGV[5], ARGV[6], ARGV[7]
local state, owner = unpack(redis.call('HMGET', P .. 'c:' .. id, 'state', 'counsellor'))
if state ~= 'waiting' and state ~= 'active' then return {'gone'} end
if ARGV[10] ~= '' and owner ~= ARGV[10] then return {'gone'} end
if author == 'visitor' then
  local r = P .. 'r:' .. id
  redis.call('ZREMRANGEBYSCORE', r, '-inf', ARGV[8])
  if redis.call('ZCARD', r) >= tonumber(ARGV[9]) then return {'rate'} end
end
return {'ok', add_message(id, author, text, now)}
