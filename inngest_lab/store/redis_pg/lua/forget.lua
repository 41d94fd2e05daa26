-- A finished run reached Postgres: drop its hot state (ARGV[1] is the run id). Only while the run is still
-- terminal in Redis: its state is then final, and Postgres holds every write of it.
local run = P .. 'r:' .. ARGV[1]
if redis.call('HGET', run, 't') ~= '1' then return 0 end
redis.call('DEL', run, P .. 's:' .. ARGV[1], P .. 'k:' .. ARGV[1])
return 1
