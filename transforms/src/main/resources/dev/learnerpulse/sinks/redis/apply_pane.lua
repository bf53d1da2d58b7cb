-- Applies one pane of learner_window_metrics to the dashboard state, atomically.
-- Every write is guarded by the pane's (window_start_ms, pane_index), so replays, retries and
-- out-of-order arrival leave the same state as applying each key's newest pane once.
--
-- KEYS (under the pane's own tenant): 1 learner hash, 2 window active zset, 3 window scores zset,
--       4 window panes hash, 5 window summary hash, 6 course completed set, 7 course at_risk set,
--       8 course current_window string, 9 course engagement zset, 10 course live hash,
--       11 learner windows zset, 12 the course's learner -> tenant hash (not tenant-scoped)
-- ARGV: 1 window_start_ms, 2 pane_index, 3 learner_id, 4 engagement_score,
--       5 avg_score_pct or '', 6 completed evidence '1'/'0'/'', 7 at_risk evidence '1'/'0'/'',
--       8 state ttl ms (0 = none), 9 window ttl ms (0 = none), 10 window key prefix of the course,
--       11 window_start ISO, 12 tenant head of the keys, 13 the pane's tenant segment,
--       14.. field/value pairs of the learner hash
-- Returns {window_applied, latest_applied, evidence_applied, tenant segment written}.
--
-- A learner's state in a course lives under one tenant: that of the learner's newest pane. A
-- newer pane with another tenant (enrichment arrived, reference data changed) moves the state
-- there; an older pane with another tenant is applied where the state is. Keys 1-11 and ARGV[10]
-- all start with ARGV[12] .. ARGV[13]; the same keys of another tenant swap that segment. They
-- share the course's hash tag, so every key here is in one Redis Cluster slot.

local ws, pane = tonumber(ARGV[1]), tonumber(ARGV[2])
local learner = ARGV[3]
local state_ttl, window_ttl = tonumber(ARGV[8]), tonumber(ARGV[9])
local head, tenant = ARGV[12], ARGV[13]

-- True when this pane is at or after the stored mark: a newer window, or the same window and a
-- pane index not lower (equal is the same pane replayed, whose data is identical).
local function at_or_after(mark_ws, mark_pane)
  if not mark_ws then
    return true
  end
  local w = tonumber(mark_ws)
  return ws > w or (ws == w and pane >= tonumber(mark_pane))
end

-- Scores have 2 decimals; sums kept in hundredths are exact integers, so replays are byte-stable.
local function centi(x)
  return math.floor(tonumber(x) * 100 + 0.5)
end

local function pct(sum_centi, n)
  local c = math.floor(sum_centi / n + 0.5)
  return string.format('%d.%02d', math.floor(c / 100), c % 100)
end

local function expire(key, ms)
  if ms > 0 then
    redis.call('PEXPIRE', key, ms)
  end
end

-- The keys of this course under the tenant with segment seg.
local function keys_of(seg)
  local own = #head + #tenant
  local k = {}
  for i = 1, 11 do
    k[i] = head .. seg .. string.sub(KEYS[i], own + 1)
  end
  k.window = head .. seg .. string.sub(ARGV[10], own + 1)
  return k
end

-- The learner's entry in one window (w = the window's key prefix and start): sets it, or with
-- score == nil and active == nil removes it; the summary follows.
local function window_entry(w, entry_pane, active, score)
  local sum = tonumber(redis.call('HGET', w .. ':summary', 'score_sum_centi') or '0')
  local old = redis.call('ZSCORE', w .. ':scores', learner)
  if old then
    sum = sum - centi(old)
  end
  if active then
    redis.call('HSET', w .. ':panes', learner, entry_pane)
    redis.call('ZADD', w .. ':active', active, learner)
  else
    redis.call('HDEL', w .. ':panes', learner)
    redis.call('ZREM', w .. ':active', learner)
  end
  if score then
    redis.call('ZADD', w .. ':scores', score, learner)
    sum = sum + centi(score)
  else
    redis.call('ZREM', w .. ':scores', learner)
  end
  local active_n = redis.call('ZCARD', w .. ':active')
  if active_n == 0 then
    redis.call('DEL', w .. ':summary')
    return
  end
  local scored = redis.call('ZCARD', w .. ':scores')
  redis.call('HSET', w .. ':summary', 'active_learners', active_n,
    'scored_learners', scored, 'score_sum_centi', string.format('%d', sum))
  if scored > 0 then
    redis.call('HSET', w .. ':summary', 'avg_score_pct', pct(sum, scored))
  else
    redis.call('HDEL', w .. ':summary', 'avg_score_pct')
  end
  if window_ttl > 0 then
    for _, suffix in ipairs({':active', ':scores', ':panes', ':summary'}) do
      if redis.call('EXISTS', w .. suffix) == 1 then
        redis.call('PEXPIRE', w .. suffix, window_ttl)
      end
    end
  end
end

-- The course's live hash from its current window and sets.
local function refresh_live(k)
  local current = redis.call('GET', k[8])
  if not current then
    return
  end
  local window = k.window .. current
  local summary = redis.call('HMGET', window .. ':summary', 'scored_learners', 'avg_score_pct')
  redis.call('HSET', k[10],
    'active_learners', redis.call('ZCARD', window .. ':active'),
    'scored_learners', summary[1] or '0',
    'completed_learners', redis.call('SCARD', k[6]),
    'at_risk_learners', redis.call('SCARD', k[7]))
  if summary[2] then
    redis.call('HSET', k[10], 'avg_score_pct', summary[2])
  else
    redis.call('HDEL', k[10], 'avg_score_pct')
  end
end

-- Moves the learner's whole state in the course from tenant `from` to `to` (key tables). The
-- course under `from` keeps its other learners; with none left its live keys go too.
local function move(from, to)
  if redis.call('EXISTS', from[1]) == 1 then
    redis.call('RENAME', from[1], to[1])
  end
  for _, i in ipairs({6, 7}) do
    if redis.call('SREM', from[i], learner) == 1 then
      redis.call('SADD', to[i], learner)
    end
  end
  local engagement = redis.call('ZSCORE', from[9], learner)
  if engagement then
    redis.call('ZREM', from[9], learner)
    redis.call('ZADD', to[9], engagement, learner)
  end
  for _, w in ipairs(redis.call('ZRANGE', from[11], 0, -1)) do
    local src, dst = from.window .. w, to.window .. w
    local moved_pane = redis.call('HGET', src .. ':panes', learner)
    if moved_pane then
      local active = redis.call('ZSCORE', src .. ':active', learner)
      local score = redis.call('ZSCORE', src .. ':scores', learner)
      window_entry(src, nil, nil, nil)
      local there = redis.call('HGET', dst .. ':panes', learner)
      if (not there) or tonumber(moved_pane) >= tonumber(there) then
        window_entry(dst, moved_pane, active, score or nil)
      end
      redis.call('ZADD', to[11], w, w)
    end
  end
  redis.call('DEL', from[11])
  if redis.call('EXISTS', from[9]) == 0 then
    redis.call('DEL', from[8], from[10])
  else
    refresh_live(from)
  end
end

-- 0. Where the learner's state lives.
local k = keys_of(tenant)
local written = tenant
local moved = false
local owner = redis.call('HGET', KEYS[12], learner)
if owner and owner ~= tenant then
  local from = keys_of(owner)
  local mark = redis.call('HMGET', from[1], 'window_start_ms', 'pane_index')
  if mark[1] and not at_or_after(mark[1], mark[2]) then
    k, written = from, owner
  else
    move(from, k)
    moved = true
  end
end
redis.call('HSET', KEYS[12], learner, written)
expire(KEYS[12], state_ttl)

-- 1. The pane's own window: the learner's entry in the window's sets.
local window_applied = 0
local w = k.window .. ARGV[1]
local stored_pane = redis.call('HGET', w .. ':panes', learner)
if (not stored_pane) or pane >= tonumber(stored_pane) then
  window_applied = 1
  window_entry(w, ARGV[2], ARGV[4], ARGV[5] ~= '' and ARGV[5] or nil)
  redis.call('ZADD', k[11], ARGV[1], ARGV[1])
  expire(k[11], window_ttl)
end

-- 2. The learner's latest state: the newest window's metrics, and completion and risk from the
-- newest pane that carries evidence for them (a window without a progress change says nothing
-- about completion, one without assessments nothing about risk).
local marks = redis.call('HMGET', k[1], 'window_start_ms', 'pane_index',
  'progress_window_start_ms', 'progress_pane_index', 'score_window_start_ms', 'score_pane_index')
local latest_applied, evidence_applied = 0, 0
local progress_ws, progress_pane, score_ws, score_pane = marks[3], marks[4], marks[5], marks[6]
if ARGV[6] ~= '' and at_or_after(progress_ws, progress_pane) then
  evidence_applied = 1
  progress_ws, progress_pane = ARGV[1], ARGV[2]
  if ARGV[6] == '1' then
    redis.call('SADD', k[6], learner)
  else
    redis.call('SREM', k[6], learner)
  end
end
if ARGV[7] ~= '' and at_or_after(score_ws, score_pane) then
  evidence_applied = 1
  score_ws, score_pane = ARGV[1], ARGV[2]
  if ARGV[7] == '1' then
    redis.call('SADD', k[7], learner)
  else
    redis.call('SREM', k[7], learner)
  end
end
if at_or_after(marks[1], marks[2]) then
  latest_applied = 1
  redis.call('DEL', k[1])
  redis.call('HSET', k[1], unpack(ARGV, 14))
  redis.call('ZADD', k[9], ARGV[4], learner)
end
if latest_applied == 1 or evidence_applied == 1 or moved then
  if progress_ws then
    redis.call('HSET', k[1], 'progress_window_start_ms', progress_ws, 'progress_pane_index', progress_pane)
  end
  if score_ws then
    redis.call('HSET', k[1], 'score_window_start_ms', score_ws, 'score_pane_index', score_pane)
  end
  expire(k[1], state_ttl)
  for i = 6, 7 do
    if redis.call('EXISTS', k[i]) == 1 then
      expire(k[i], state_ttl)
    end
  end
  expire(k[9], state_ttl)
end

-- 3. The course's live summary of its newest window.
local current = redis.call('GET', k[8])
if (not current) or ws > tonumber(current) then
  current = ARGV[1]
  redis.call('SET', k[8], current)
  redis.call('HSET', k[10], 'window_start', ARGV[11], 'window_start_ms', current)
end
if window_applied == 1 or latest_applied == 1 or evidence_applied == 1 or moved then
  refresh_live(k)
  expire(k[8], state_ttl)
  expire(k[10], state_ttl)
end

return {window_applied, latest_applied, evidence_applied, written}
