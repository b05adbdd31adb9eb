-- ARGV[4..]: this period's set, the last period's, the key hash, the TTL of this period's set.
-- Returns 1 if the key was new.
local current, last, key = ARGV[4], ARGV[5], ARGV[6]
if redis.call('SISMEMBER', last, key) == 1 then return 0 end
local added = redis.call('SADD', current, key)
redis.call('EXPIRE', current, tonumber(ARGV[7]))
return added
