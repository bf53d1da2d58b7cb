-- Adds an alert to its tenant's stream once: a replay of the same alert id adds nothing.
-- KEYS: 1 stream, 2 the alert's added-mark
-- ARGV: 1 MAXLEN (approximate), 2 mark TTL in ms (0: no expiry), 3.. field, value, ...
local marked
if tonumber(ARGV[2]) > 0 then
  marked = redis.call('SET', KEYS[2], '1', 'NX', 'PX', ARGV[2])
else
  marked = redis.call('SET', KEYS[2], '1', 'NX')
end
if not marked then
  return 0
end
local args = {'XADD', KEYS[1], 'MAXLEN', '~', ARGV[1], '*'}
for i = 3, #ARGV do
  args[#args + 1] = ARGV[i]
end
redis.call(unpack(args))
return 1
