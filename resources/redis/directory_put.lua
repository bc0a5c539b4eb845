-- ARGV: key, the version directory_get.lua returned, page, seconds to live.
-- Stored only if no profile changed since (the version is still current).
local version = redis.call('GET', 'sanayicin:dir:version') or '0'
if version ~= ARGV[2] then
    return 0
end
redis.call('SET', 'sanayicin:dir:' .. version .. ':' .. ARGV[1], ARGV[3], 'EX', tonumber(ARGV[4]))
return 1
