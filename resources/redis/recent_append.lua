-- New messages for the recent-messages cache. ARGV: the most to keep, then
-- triples of conversation id, seq, entry ("seq|id|message json"), in commit
-- order. A list only ever holds consecutive seqs: a message that would leave
-- a gap drops the list instead (it is rebuilt from the database on demand).
local max = tonumber(ARGV[1])
for i = 2, #ARGV, 3 do
    local key = 'sanayicin:recent:' .. ARGV[i]
    local seq = tonumber(ARGV[i + 1])
    local last = redis.call('LINDEX', key, -1)
    local lastSeq = last and tonumber(string.match(last, '^(%d+)|')) or nil
    if not lastSeq or seq == lastSeq + 1 then
        redis.call('RPUSH', key, ARGV[i + 2])
        redis.call('LTRIM', key, -max, -1)
        redis.call('EXPIRE', key, 3600)
    elseif seq > lastSeq + 1 then
        redis.call('DEL', key)
    end
end
return 1
