-- A finished run reached Postgres: drop its hot state (ARGV[1] is the run id). Only while the run is still
-- terminal in Redis: its state is then final, and Postgres holds every write of it.
local _, terminal = run_get(ARGV[1])
if terminal ~= '1' then return 0 end
redis.call('DEL', P .. 'r:' .. ARGV[1], P .. 's:' .. ARGV[1])
return 1
