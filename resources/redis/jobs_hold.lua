-- A worker keeps what it holds (resets the entries' idle time so that
-- XAUTOCLAIM leaves them alone while it works) or gives them back unrun
-- (a graceful stop: the attempt is not counted). Entries another consumer
-- took over are left to it.
-- ARGV: queue, consumer, 'keep' | 'release', then pairs of entry id, job id.
-- Returns how many entries it changed.
local p = 'sanayicin:jobs:' .. ARGV[1]
local s = p .. ':stream'
local n = 0
for i = 4, #ARGV, 2 do
    local entry, jid = ARGV[i], ARGV[i + 1]
    local held = redis.call('XPENDING', s, 'workers', entry, entry, 1)
    if #held > 0 and held[1][2] == ARGV[2] then
        if ARGV[3] == 'keep' then
            redis.call('XCLAIM', s, 'workers', ARGV[2], 0, entry, 'JUSTID')
        else
            redis.call('XACK', s, 'workers', entry)
            redis.call('XDEL', s, entry)
            if redis.call('EXISTS', p .. ':job:' .. jid) == 1 then
                redis.call('HINCRBY', p .. ':job:' .. jid, 'attempt', -1)
                redis.call('XADD', s, '*', 'jid', jid)
            end
        end
        n = n + 1
    end
end
return n
