-- The newest messages of one conversation, read from the database.
-- ARGV: conversation id, the most to keep, entries oldest first. Replaces the
-- list unless it already holds something at least as new.
local key = 'sanayicin:recent:' .. ARGV[1]
if #ARGV < 3 then
    return 0
end
local fillLast = tonumber(string.match(ARGV[#ARGV], '^(%d+)|'))
local last = redis.call('LINDEX', key, -1)
if last and tonumber(string.match(last, '^(%d+)|')) >= fillLast then
    return 0
end
redis.call('DEL', key)
redis.call('RPUSH', key, unpack(ARGV, 3))
redis.call('LTRIM', key, -tonumber(ARGV[2]), -1)
redis.call('EXPIRE', key, 3600)
return 1
