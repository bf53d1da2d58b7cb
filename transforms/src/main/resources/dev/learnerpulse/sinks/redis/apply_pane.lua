-- Applies one pane of learner_window_metrics to the dashboard state, atomically.
-- Every write is guarded by the pane's (window_start_ms, pane_index), so replays, retries and
-- out-of-order arrival leave the same state as applying each key's newest pane once.
--
-- KEYS: 1 learner hash, 2 window active zset, 3 window scores zset, 4 window panes hash,
--       5 window summary hash, 6 course completed set, 7 course at_risk set,
--       8 course current_window string, 9 course engagement zset, 10 course live hash
-- ARGV: 1 window_start_ms, 2 pane_index, 3 learner_id, 4 engagement_score,
--       5 avg_score_pct or '', 6 completed evidence '1'/'0'/'', 7 at_risk evidence '1'/'0'/'',
--       8 state ttl ms (0 = none), 9 window ttl ms (0 = none), 10 window key prefix of the course,
--       11 window_start ISO, 12.. field/value pairs of the learner hash
-- Returns {window_applied, latest_applied, evidence_applied}, each 0 or 1.

local ws, pane = tonumber(ARGV[1]), tonumber(ARGV[2])
local learner = ARGV[3]
local state_ttl, window_ttl = tonumber(ARGV[8]), tonumber(ARGV[9])

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

-- 1. The pane's own window: the learner's entry in the window's sets.
local window_applied = 0
local stored_pane = redis.call('HGET', KEYS[4], learner)
if (not stored_pane) or pane >= tonumber(stored_pane) then
  window_applied = 1
  redis.call('HSET', KEYS[4], learner, ARGV[2])
  redis.call('ZADD', KEYS[2], ARGV[4], learner)
  local sum = tonumber(redis.call('HGET', KEYS[5], 'score_sum_centi') or '0')
  local old = redis.call('ZSCORE', KEYS[3], learner)
  if old then
    sum = sum - centi(old)
  end
  if ARGV[5] ~= '' then
    redis.call('ZADD', KEYS[3], ARGV[5], learner)
    sum = sum + centi(ARGV[5])
  else
    redis.call('ZREM', KEYS[3], learner)
  end
  local scored = redis.call('ZCARD', KEYS[3])
  redis.call('HSET', KEYS[5], 'active_learners', redis.call('ZCARD', KEYS[2]),
    'scored_learners', scored, 'score_sum_centi', string.format('%d', sum))
  if scored > 0 then
    redis.call('HSET', KEYS[5], 'avg_score_pct', pct(sum, scored))
  else
    redis.call('HDEL', KEYS[5], 'avg_score_pct')
  end
  for i = 2, 5 do
    expire(KEYS[i], window_ttl)
  end
end

-- 2. The learner's latest state: the newest window's metrics, and completion and risk from the
-- newest pane that carries evidence for them (a window without a progress change says nothing
-- about completion, one without assessments nothing about risk).
local marks = redis.call('HMGET', KEYS[1], 'window_start_ms', 'pane_index',
  'progress_window_start_ms', 'progress_pane_index', 'score_window_start_ms', 'score_pane_index')
local latest_applied, evidence_applied = 0, 0
local progress_ws, progress_pane, score_ws, score_pane = marks[3], marks[4], marks[5], marks[6]
if ARGV[6] ~= '' and at_or_after(progress_ws, progress_pane) then
  evidence_applied = 1
  progress_ws, progress_pane = ARGV[1], ARGV[2]
  if ARGV[6] == '1' then
    redis.call('SADD', KEYS[6], learner)
  else
    redis.call('SREM', KEYS[6], learner)
  end
end
if ARGV[7] ~= '' and at_or_after(score_ws, score_pane) then
  evidence_applied = 1
  score_ws, score_pane = ARGV[1], ARGV[2]
  if ARGV[7] == '1' then
    redis.call('SADD', KEYS[7], learner)
  else
    redis.call('SREM', KEYS[7], learner)
  end
end
if at_or_after(marks[1], marks[2]) then
  latest_applied = 1
  redis.call('DEL', KEYS[1])
  redis.call('HSET', KEYS[1], unpack(ARGV, 12))
  redis.call('ZADD', KEYS[9], ARGV[4], learner)
end
if latest_applied == 1 or evidence_applied == 1 then
  if progress_ws then
    redis.call('HSET', KEYS[1], 'progress_window_start_ms', progress_ws, 'progress_pane_index', progress_pane)
  end
  if score_ws then
    redis.call('HSET', KEYS[1], 'score_window_start_ms', score_ws, 'score_pane_index', score_pane)
  end
  expire(KEYS[1], state_ttl)
  for i = 6, 7 do
    if redis.call('EXISTS', KEYS[i]) == 1 then
      expire(KEYS[i], state_ttl)
    end
  end
  expire(KEYS[9], state_ttl)
end

-- 3. The course's live summary of its newest window.
local current = redis.call('GET', KEYS[8])
if (not current) or ws > tonumber(current) then
  current = ARGV[1]
  redis.call('SET', KEYS[8], current)
  redis.call('HSET', KEYS[10], 'window_start', ARGV[11], 'window_start_ms', current)
end
if window_applied == 1 or latest_applied == 1 or evidence_applied == 1 then
  local window = ARGV[10] .. current
  local summary = redis.call('HMGET', window .. ':summary', 'scored_learners', 'avg_score_pct')
  redis.call('HSET', KEYS[10],
    'active_learners', redis.call('ZCARD', window .. ':active'),
    'scored_learners', summary[1] or '0',
    'completed_learners', redis.call('SCARD', KEYS[6]),
    'at_risk_learners', redis.call('SCARD', KEYS[7]))
  if summary[2] then
    redis.call('HSET', KEYS[10], 'avg_score_pct', summary[2])
  else
    redis.call('HDEL', KEYS[10], 'avg_score_pct')
  end
  expire(KEYS[8], state_ttl)
  expire(KEYS[10], state_ttl)
end

return {window_applied, latest_applied, evidence_applied}
