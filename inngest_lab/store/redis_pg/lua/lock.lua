-- A lease-style lock under key P .. ARGV[1]: "take" (or renew) for owner ARGV[3] for ARGV[4] ms, or "drop".
-- Returns 1 when the owner holds it afterwards (take) or released it (drop), else 0.
local key = P .. ARGV[1]
local holder = redis.call('GET', key)
if ARGV[2] == 'take' then
  if holder and holder ~= ARGV[3] then return 0 end
  redis.call('SET', key, ARGV[3], 'PX', ARGV[4])
  return 1
end
if holder == ARGV[3] then redis.call('DEL', key) return 1 end
return 0
