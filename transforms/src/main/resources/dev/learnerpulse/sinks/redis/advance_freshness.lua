-- Moves the pipeline freshness hash forward, never back: a replay of old panes leaves it alone.
-- KEYS: 1 freshness hash
-- ARGV: 1 window_end_ms, 2 window_end ISO, 3 written_at_ms, 4 written_at ISO
local function advance(ms_field, iso_field, ms, iso)
  local stored = redis.call('HGET', KEYS[1], ms_field)
  if (not stored) or tonumber(ms) > tonumber(stored) then
    redis.call('HSET', KEYS[1], ms_field, ms, iso_field, iso)
  end
end
advance('window_end_ms', 'window_end', ARGV[1], ARGV[2])
advance('written_at_ms', 'written_at', ARGV[3], ARGV[4])
return 1
