-- ARGV: the query's key. Returns {cached page or false, current version}.
local version = redis.call('GET', 'sanayicin:dir:version') or '0'
local page = redis.call('GET', 'sanayicin:dir:' .. version .. ':' .. ARGV[1])
return {page, version}
