-- ARGV[4..]: id, the writing staff member, text, now, the most side messages a chat may hold.
-- Returns {'ok', seq, author}, {'gone'} or {'full'}.
local id, by = ARGV[4], ARGV[5]
local owner, _, _, last_seq = side_of(id, by)
if not owner then return {'gone'} end
if last_seq >= tonumber(ARGV[8]) then return {'full'} end
local author = (by == owner) and 'counsellor' or 'colleague'
local seq = redis.call('HINCRBY', P .. 's:' .. id, 'last_seq', 1)
redis.call('XADD', P .. 'sm:' .. id, seq .. '-0', 'a', author, 't', ARGV[6], 'at', ARGV[7])
touch(id)
return {'ok', seq, author}
