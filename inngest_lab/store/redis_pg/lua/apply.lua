-- Apply one batch of engine commands atomically.
-- ARGV[1]: checks  [["run", id, version] | ["flow", key, version] | ["lease", item id, lease id], ...]
-- ARGV[2]: ops     (encode.py), applied in order
-- ARGV[3]: outbox  JSON for Postgres ("" for none), appended to the outbox stream
-- ARGV[4]: feed    "<origin> <JSON records>" for other processes, published (with "\n<due ms>" appended when the
--                  batch queued items others could lease) when ARGV[6] is "1" or such items were queued
-- ARGV[5]: hand-off: "" or "<lease id prefix>|<now>|<lease expiry>|<max>": up to max items this batch
--          enqueues that are due at now and need no concurrency slot are leased to the writer at once, so the
--          process that took a run's last step usually takes its next one (its run state is warm there)
-- ARGV[6]: "1" when the feed records are news for other processes' live views
-- Returns {"ok", duplicate steps, deleted records, consumed pauses, items enqueued, earliest due of those,
--  the queue's next due time, the checked run's version, {item id, lease id, ...} handed off} or {"conflict"|"lease", what, key}.
-- Every check runs before the first write: a refused batch changes nothing.
local checked_run = nil  -- the run a decision was taken on: its version after this batch is returned
for _, c in ipairs(cjson.decode(ARGV[1])) do
  if c[1] == 'run' then
    if (run_get(c[2])) ~= c[3] then return {'conflict', 'run', c[2]} end
    checked_run = checked_run or c[2]
  elseif c[1] == 'flow' then
    if tonumber(redis.call('HGET', P .. 'fv', c[2]) or '0') ~= c[3] then return {'conflict', 'flow', c[2]} end
  elseif c[1] == 'lease' then
    if redis.call('HGET', P .. 'qL', c[2]) ~= c[3] then return {'lease', 'item', c[2]} end
  end
end

local function pause_create(op)
  -- {"pc", pause id, run id, event name, pause JSON, signature, values}
  if redis.call('HSETNX', P .. 'p', op[2], op[5]) == 0 then return end
  redis.call('HSET', P .. 'pk', op[2], cjson.encode({op[4], op[3], op[6], op[7]}))
  redis.call('SADD', P .. 'pr:' .. op[3], op[2])
  redis.call('SADD', P .. 'pe:' .. op[4], op[2])
  if op[6] == '' then
    redis.call('SADD', P .. 'pu:' .. op[4], op[2])
  else
    redis.call('SADD', P .. 'pi:' .. op[4] .. '\30' .. op[6] .. '\30' .. op[7], op[2])
    redis.call('HINCRBY', P .. 'ps:' .. op[4], op[6], 1)
  end
end

local function pause_delete(pid)
  local k = redis.call('HGET', P .. 'pk', pid)
  if not k then return false end
  -- a pause that holds a signal (sg: signal -> pause, sgp: pause -> signal) gives it up
  local signal = redis.call('HGET', P .. 'sgp', pid)
  if signal then
    redis.call('HDEL', P .. 'sgp', pid)
    redis.call('HDEL', P .. 'sg', signal)
  end
  k = cjson.decode(k)
  redis.call('HDEL', P .. 'p', pid)
  redis.call('HDEL', P .. 'pk', pid)
  redis.call('SREM', P .. 'pr:' .. k[2], pid)
  redis.call('SREM', P .. 'pe:' .. k[1], pid)
  if k[3] == '' then
    redis.call('SREM', P .. 'pu:' .. k[1], pid)
  else
    redis.call('SREM', P .. 'pi:' .. k[1] .. '\30' .. k[3] .. '\30' .. k[4], pid)
    if redis.call('HINCRBY', P .. 'ps:' .. k[1], k[3], -1) <= 0 then redis.call('HDEL', P .. 'ps:' .. k[1], k[3]) end
  end
  return true
end

local duplicates, deleted, consumed, enqueued, first_due = 0, 0, 0, 0, nil
local handed = {}
local hand_prefix, hand_now, hand_expires, hand_max = nil, 0, '', 0
if ARGV[5] ~= '' then
  local a = string.find(ARGV[5], '|', 1, true)
  local b = string.find(ARGV[5], '|', a + 1, true)
  local c = string.find(ARGV[5], '|', b + 1, true)
  hand_prefix = string.sub(ARGV[5], 1, a - 1)
  hand_now = tonumber(string.sub(ARGV[5], a + 1, b - 1))
  hand_expires = string.sub(ARGV[5], b + 1, c - 1)
  hand_max = tonumber(string.sub(ARGV[5], c + 1))
end
local function enqueue_counted(op)
  if not enqueue(op) then return end
  if hand_prefix and #handed < hand_max * 2 and op[6] == '' and tonumber(op[4]) <= hand_now then
    local member = split3(redis.call('HGET', P .. 'qm', op[2]))
    redis.call('ZREM', P .. 'qw', member)
    if op[7] then unhold(op[2]) end
    local lease_id = hand_prefix .. (#handed / 2 + 1)
    redis.call('HSET', P .. 'qL', op[2], lease_id)
    redis.call('ZADD', P .. 'ql', hand_expires, op[2])
    handed[#handed + 1] = op[2]
    handed[#handed + 1] = lease_id
    return
  end
  enqueued = enqueued + 1
  if first_due == nil or tonumber(op[4]) < first_due then first_due = tonumber(op[4]) end
end
for _, op in ipairs(cjson.decode(ARGV[2])) do
  local o = op[1]
  if o == 'run' then
    local v, _, stack = run_get(op[2])
    run_set(op[2], v + 1, op[4], stack, op[3])
  elseif o == 'step' then
    -- the first write of a step id wins (Inngest's saveResponse): a second one is counted and dropped
    if redis.call('HSETNX', P .. 's:' .. op[2], op[3], op[4]) == 1 then
      local v, t, stack, meta = run_get(op[2])
      if stack ~= '' then stack = stack .. '\30' end
      run_set(op[2], v + 1, t, stack .. op[3], meta)
    else
      duplicates = duplicates + 1
    end
  elseif o == 'enq' then
    enqueue_counted(op)
  elseif o == 'deq' then
    remove_item(op[2])
  elseif o == 'pc' then
    pause_create(op)
  elseif o == 'pd' then
    pause_delete(op[2])
  elseif o == 'pcons' then
    -- exactly-once resumption: only the batch whose delete hit the pause enqueues
    if pause_delete(op[2]) then
      enqueue_counted(op[3])
      consumed = consumed + 1
    end
  elseif o == 'sclaim' then
    -- {"sclaim", signal, pause id, "1" to replace the holder, conflict item op} (engine/signal_wait.py)
    local holder = redis.call('HGET', P .. 'sg', op[2])
    if holder and holder ~= op[3] and op[4] ~= '1' then
      enqueue_counted(op[5])
    else
      if holder then redis.call('HDEL', P .. 'sgp', holder) end
      redis.call('HSET', P .. 'sg', op[2], op[3])
      redis.call('HSET', P .. 'sgp', op[3], op[2])
    end
  elseif o == 'fput' then
    redis.call('HSET', P .. 'f', op[2], op[3])
    if op[4] == '' then redis.call('HDEL', P .. 'fx', op[2]) else redis.call('HSET', P .. 'fx', op[2], op[4]) end
    redis.call('HINCRBY', P .. 'fv', op[2], 1)
  elseif o == 'fdel' then
    redis.call('HDEL', P .. 'f', op[2])
    redis.call('HDEL', P .. 'fx', op[2])
    redis.call('HINCRBY', P .. 'fv', op[2], 1)  -- versions only grow: a deleted key never looks unchanged
  elseif o == 'fpurge' then
    local all = redis.call('HGETALL', P .. 'fx')
    for i = 1, #all, 2 do
      if tonumber(all[i + 1]) <= tonumber(op[2]) then
        redis.call('HDEL', P .. 'f', all[i])
        redis.call('HDEL', P .. 'fx', all[i])
        redis.call('HDEL', P .. 'fv', all[i])
      end
    end
  elseif o == 'rput' then
    -- {"rput", kind, id, created_at_ms, record JSON}: a replaced record keeps its first creation time
    local key = P .. 'rc:' .. op[2]
    local old = redis.call('HGET', key, op[3])
    local created = op[4]
    if old then created = string.sub(old, 1, string.find(old, '\t', 1, true) - 1) end
    redis.call('HSET', key, op[3], created .. '\t' .. op[5])
  elseif o == 'rdel' then
    deleted = deleted + redis.call('HDEL', P .. 'rc:' .. op[2], op[3])
  end
end
if ARGV[3] ~= '' then redis.call('XADD', P .. 'ob', '*', 'd', ARGV[3]) end
local due_text = ''
if first_due then due_text = fmt(first_due) end
-- items handed to the writer are nobody else's business: only queued ones wake the other processes
if first_due then
  redis.call('PUBLISH', P .. 'feed', ARGV[4] .. '\n' .. due_text)
elseif ARGV[6] == '1' then
  redis.call('PUBLISH', P .. 'feed', ARGV[4])
end
-- the version of the checked run after this batch: the writer's memo keeps that state
local run_version = ''
if checked_run then run_version = fmt((run_get(checked_run))) end
-- ready items count as due at the earliest due time they could have: no clock here, so -inf stands for now
return {'ok', duplicates, deleted, consumed, enqueued, due_text, next_due_text(-1), run_version, handed}
