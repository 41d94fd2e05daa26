-- Give item ARGV[1] back (lease ARGV[2] must still be its current one), due at ARGV[3], item JSON ARGV[4].
-- Returns 1 when released, 0 when the lease was lost (nothing changes then).
local iid = ARGV[1]
if redis.call('HGET', P .. 'qL', iid) ~= ARGV[2] then return 0 end
redis.call('ZREM', P .. 'ql', iid)
redis.call('HDEL', P .. 'qL', iid)
free_slots(iid)
local member, _, prio = split3(redis.call('HGET', P .. 'qm', iid))
redis.call('HSET', P .. 'qm', iid, member .. '|' .. ARGV[3] .. '|' .. fmt(prio))
redis.call('HSET', P .. 'qi', iid, ARGV[4])
redis.call('ZADD', P .. 'qw', ARGV[3], member)
return 1
