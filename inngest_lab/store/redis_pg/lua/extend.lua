-- Extend lease ARGV[2] of item ARGV[1] to ARGV[3] + ARGV[4] ms; 0 when it is no longer held.
local iid = ARGV[1]
if redis.call('HGET', P .. 'qL', iid) ~= ARGV[2] then return 0 end
local held_until = redis.call('ZSCORE', P .. 'ql', iid)
if not held_until or tonumber(held_until) <= tonumber(ARGV[3]) then return 0 end
local expires = fmt(tonumber(ARGV[3]) + tonumber(ARGV[4]))
redis.call('ZADD', P .. 'ql', expires, iid)
local slots = slots_of(iid)
if slots then
  for _, s in ipairs(slots) do redis.call('ZADD', P .. 'cs:' .. s[1], 'XX', expires, iid) end
end
return 1
