-- ARGV: conversation ids. Returns, per conversation, {generation, entries}.
-- The generation changes when a list is dropped (a message deleted); a fill
-- read from the database before that must not be stored (recent_fill.lua).
local out = {}
for i = 1, #ARGV do
    local gen = redis.call('GET', 'sanayicin:recent_gen:' .. ARGV[i]) or '0'
    out[i] = {gen, redis.call('LRANGE', 'sanayicin:recent:' .. ARGV[i], 0, -1)}
end
return out
