-- ARGV[4..]: id, the chat's counsellor, now. Posts the system message 'reader' into the chat
-- and lets the colleague read, in this one atomic script. Returns {'ok', seq}, {'gone'} or
-- {'already'}.
local id, by = ARGV[4], ARGV[5]
local owner, _, reading = side_of(id, by)
if not owner or owner ~= by then return {'gone'} end
if reading == '1' then return {'already'} end
local seq = add_message(id, 'system', 'reader', ARGV[6])
redis.call('HSET', P .. 's:' .. id, 'reading', '1')
return {'ok', seq}
