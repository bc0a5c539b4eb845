-- The newest messages of one conversation, read from the database.
-- ARGV: conversation id, the generation recent_get.lua gave before the read,
-- the most to keep, entries oldest first. Replaces the list unless it already
-- holds something at least as new, or the list was dropped since.
local key = 'sanayicin:recent:' .. ARGV[1]
if (redis.call('GET', 'sanayicin:recent_gen:' .. ARGV[1]) or '0') ~= ARGV[2] then
    return 0
end
if #ARGV < 4 then
    return 0
end
local fillLast = tonumber(string.match(ARGV[#ARGV], '^(%d+)|'))
local last = redis.call('LINDEX', key, -1)
if last and tonumber(string.match(last, '^(%d+)|')) >= fillLast then
    return 0
end
redis.call('DEL', key)
redis.call('RPUSH', key, unpack(ARGV, 4))
redis.call('LTRIM', key, -tonumber(ARGV[3]), -1)
redis.call('EXPIRE', key, 3600)
return 1
