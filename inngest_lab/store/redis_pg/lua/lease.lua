-- Lease up to ARGV[2] due items for ARGV[3] ms at now = ARGV[1]; lease ids are ARGV[4] .. n.
-- Returns {"<queue version>:<next due ms>", item id, item text, lease id, delayed, ...}.
-- 1. Expired leases come back first: their holder died or stalled (Inngest's scavenger, in the same step).
-- 2. Items whose due time came move from the waiting to the ready set (scored by due - priority).
-- 3. The best-scored ready items are leased; one that needs a concurrency slot its key has none of
--    waits in that key's backlog (FIFO) until a holder of the key ends its lease.
local now = tonumber(ARGV[1])
local limit = tonumber(ARGV[2])
local expires = fmt(now + tonumber(ARGV[3]))

for _, iid in ipairs(redis.call('ZRANGEBYSCORE', P .. 'ql', '-inf', ARGV[1], 'LIMIT', 0, 1000)) do
  redis.call('ZREM', P .. 'ql', iid)
  redis.call('HDEL', P .. 'qL', iid)
  free_slots(iid)
  local m = redis.call('HGET', P .. 'qm', iid)
  if m then
    local member, due, prio = split3(m)
    redis.call('ZADD', P .. 'qr', fmt(due - prio), member)
  end
end

for _, member in ipairs(redis.call('ZRANGEBYSCORE', P .. 'qw', '-inf', ARGV[1], 'LIMIT', 0, 1000)) do
  redis.call('ZREM', P .. 'qw', member)
  local m = redis.call('HGET', P .. 'qm', item_of(member))
  if m then
    local _, due, prio = split3(m)
    redis.call('ZADD', P .. 'qr', fmt(due - prio), member)
  end
end

local out = {''}
local n = 0
while n < limit do
  local head = redis.call('ZPOPMIN', P .. 'qr')
  if not head[1] then break end
  local member, score = head[1], head[2]
  local iid = item_of(member)
  local slots = slots_of(iid)
  local blocked = nil
  if slots then
    for _, s in ipairs(slots) do
      local key = P .. 'cs:' .. s[1]
      if redis.call('ZCARD', key) >= s[2] then blocked = s break end
    end
  end
  if blocked then
    redis.call('ZADD', P .. 'cb:' .. blocked[1], score, member)
    -- qd (HLEN: the gauge of items waiting for a slot) also says, once leased, how long it waited
    if redis.call('HSETNX', P .. 'qd', iid, cjson.encode({blocked[1], blocked[2], now})) == 1 then unhold(iid) end
  else
    if slots then
      for _, s in ipairs(slots) do redis.call('ZADD', P .. 'cs:' .. s[1], expires, iid) end
    end
    n = n + 1
    local lease_id = ARGV[4] .. n
    redis.call('HSET', P .. 'qL', iid, lease_id)
    redis.call('ZADD', P .. 'ql', expires, iid)
    local delayed = redis.call('HGET', P .. 'qd', iid)
    if delayed then redis.call('HDEL', P .. 'qd', iid) else delayed = '' end
    unhold(iid)
    out[#out + 1] = iid
    out[#out + 1] = redis.call('HGET', P .. 'qi', iid)
    out[#out + 1] = lease_id
    out[#out + 1] = delayed
  end
end

out[1] = next_due_text(now)
return out
