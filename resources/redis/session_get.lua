-- ARGV: token hash. Returns {cached session or false, revocation epoch}.
-- The epoch goes back with the database's answer to session_put.lua.
local data = redis.call('GET', 'sanayicin:session:' .. ARGV[1])
local epoch = redis.call('GET', 'sanayicin:revocation_epoch') or '0'
return {data, epoch}
