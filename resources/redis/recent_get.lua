-- ARGV: conversation ids. Returns one list of entries per conversation.
local out = {}
for i = 1, #ARGV do
    out[i] = redis.call('LRANGE', 'sanayicin:recent:' .. ARGV[i], 0, -1)
end
return out
