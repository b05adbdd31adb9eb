-- Shared by the side-thread scripts (sent after common.lua): the side thread of a running
-- chat, if `by` is its counsellor or its colleague.
-- Keys: P s:{id} hash (colleague, reading, last_seq), P sm:{id} stream (a, t, at).
local function side_of(id, by)
  local state, owner = unpack(redis.call('HMGET', P .. 'c:' .. id, 'state', 'counsellor'))
  if state ~= 'active' then return nil end
  local colleague, reading, last_seq = unpack(redis.call(
    'HMGET', P .. 's:' .. id, 'colleague', 'reading', 'last_seq'))
  if not colleague or (by ~= owner and by ~= colleague) then return nil end
  return owner, colleague, reading, tonumber(last_seq)
end
