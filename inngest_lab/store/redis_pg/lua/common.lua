-- Shared helpers, prepended to every script of this folder (scripts.py). KEYS[1] is the key prefix; the
-- suffixes below are those of keys.py and must stay in step with it:
--   qw qr ql qi qm qL qs qd qh qhn qv seq cs:<slot> cb:<slot>  (queue)   r: s:  (runs)
--   p pk pr: pe: pu: ps: pi: sg sgp  (pauses, signals)   f fx fv  (flow state)   rc:<kind>  (records)   ob  (outbox)
-- Numbers cross the boundary as decimal strings: Lua 5.1 prints large doubles in exponent form.
local P = KEYS[1]

local function fmt(n) return string.format('%d', n) end

local function split3(s)
  local a = string.find(s, '|', 1, true)
  local b = string.find(s, '|', a + 1, true)
  return string.sub(s, 1, a - 1), tonumber(string.sub(s, a + 1, b - 1)), tonumber(string.sub(s, b + 1))
end

-- member = 12 hex digits of insertion order, then the item id: zset ties sort in insertion order
local function item_of(member) return string.sub(member, 13) end

local function slots_of(iid)
  local s = redis.call('HGET', P .. 'qs', iid)
  if not s then return nil end
  return cjson.decode(s)  -- {{slot key, limit}, ...}
end

-- A slot of each key was freed: the oldest item waiting for that key goes back to the ready set.
local function wake_backlogs(slots)
  for _, s in ipairs(slots) do
    local head = redis.call('ZPOPMIN', P .. 'cb:' .. s[1])
    if head[1] then redis.call('ZADD', P .. 'qr', head[2], head[1]) end
  end
end

-- The item stops holding its slots (its lease ended one way or another).
local function free_slots(iid)
  local slots = slots_of(iid)
  if not slots then return end
  local freed = false
  for _, s in ipairs(slots) do
    if redis.call('ZREM', P .. 'cs:' .. s[1], iid) == 1 then freed = true end
  end
  if freed then wake_backlogs(slots) end
end

-- Flow-control holds (the gauge of runs waiting, by reason): qh item id -> reason, qhn reason -> count.
local function hold(iid, reason)
  if redis.call('HSETNX', P .. 'qh', iid, reason) == 1 then redis.call('HINCRBY', P .. 'qhn', reason, 1) end
end

local function unhold(iid)
  local reason = redis.call('HGET', P .. 'qh', iid)
  if reason then
    redis.call('HDEL', P .. 'qh', iid)
    redis.call('HINCRBY', P .. 'qhn', reason, -1)
  end
end

local function enqueue(op)
  -- {"enq", id, item JSON, due, priority, slots[, hold]}; an existing id is left alone (enqueue is idempotent)
  if redis.call('HSETNX', P .. 'qi', op[2], op[3]) == 0 then return false end
  local member = string.format('%012x', redis.call('INCR', P .. 'seq')) .. op[2]
  redis.call('HSET', P .. 'qm', op[2], member .. '|' .. op[4] .. '|' .. op[5])
  redis.call('ZADD', P .. 'qw', op[4], member)
  if op[6] ~= '' then redis.call('HSET', P .. 'qs', op[2], op[6]) end
  if op[7] then hold(op[2], op[7]) end
  return true
end

local function remove_item(iid)
  local m = redis.call('HGET', P .. 'qm', iid)
  if not m then return false end
  local member = split3(m)
  redis.call('ZREM', P .. 'qw', member)
  redis.call('ZREM', P .. 'qr', member)
  redis.call('ZREM', P .. 'ql', iid)
  local slots = slots_of(iid)
  if slots then
    for _, s in ipairs(slots) do redis.call('ZREM', P .. 'cb:' .. s[1], member) end
    free_slots(iid)
  end
  redis.call('HDEL', P .. 'qi', iid)
  redis.call('HDEL', P .. 'qm', iid)
  redis.call('HDEL', P .. 'qL', iid)
  redis.call('HDEL', P .. 'qs', iid)
  redis.call('HDEL', P .. 'qd', iid)
  unhold(iid)
  return true
end

-- The next instant something may become leasable: a due time, a lease expiry, or now (ready items wait).
local function next_due_text(now)
  local next_due = nil
  if redis.call('ZCARD', P .. 'qr') > 0 then next_due = now end
  for _, key in ipairs({P .. 'qw', P .. 'ql'}) do
    local first = redis.call('ZRANGE', key, 0, 0, 'WITHSCORES')
    if first[2] and (next_due == nil or tonumber(first[2]) < next_due) then next_due = tonumber(first[2]) end
  end
  -- prefixed with the queue's write count, so a process keeps the newest answer when replies cross
  local version = redis.call('INCR', P .. 'qv')
  if next_due then return version .. ':' .. fmt(next_due) end
  return version .. ':'
end

-- A run's hot record is one string (a hash with a long field costs Redis ~40% more per parked run):
--   <version> US <terminal 0|1> US <step ids in recorded order, RS-separated> LF <run meta JSON>
-- (US = \31, RS = \30; JSON never holds a raw LF). Returns version, terminal, stack, meta (0, '0', '', '' if absent).
local function run_get(id)
  local s = redis.call('GET', P .. 'r:' .. id)
  if not s then return 0, '0', '', '' end
  local nl = string.find(s, '\n', 1, true)
  local header = string.sub(s, 1, nl - 1)
  local a = string.find(header, '\31', 1, true)
  local b = string.find(header, '\31', a + 1, true)
  return tonumber(string.sub(header, 1, a - 1)), string.sub(header, a + 1, b - 1), string.sub(header, b + 1),
    string.sub(s, nl + 1)
end

local function run_set(id, version, terminal, stack, meta)
  redis.call('SET', P .. 'r:' .. id, fmt(version) .. '\31' .. terminal .. '\31' .. stack .. '\n' .. meta)
end
