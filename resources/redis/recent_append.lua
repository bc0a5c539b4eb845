-- New messages for the recent-messages cache. ARGV: the most to keep, then
-- triples of conversation id, seq, entry ("seq|id|message json"), in commit
-- order. Only lists that exist are extended (history reads create them), so
-- conversations nobody reads cost one look-up. A list only ever holds
-- consecutive seqs: a message that would leave a gap drops the list instead.
local max = tonumber(ARGV[1])
for i = 2, #ARGV, 3 do
    local key = 'sanayicin:recent:' .. ARGV[i]
    local last = redis.call('LINDEX', key, -1)
    if last then
        local seq = tonumber(ARGV[i + 1])
        local lastSeq = tonumber(string.match(last, '^(%d+)|'))
        if seq == lastSeq + 1 then
            redis.call('RPUSH', key, ARGV[i + 2])
            redis.call('LTRIM', key, -max, -1)
        elseif seq > lastSeq + 1 then
            redis.call('DEL', key)
        end
    end
end
return 1
