-- The summaries of the instances alive now (see heartbeat.lua), each
-- followed by what is left of its key's life in milliseconds (PTTL), so
-- that readers can tell how old the summary is.
local out = {}
for _, inst in ipairs(redis.call('SMEMBERS', 'sanayicin:instances')) do
    local key = 'sanayicin:instance:' .. inst
    local summary = redis.call('GET', key)
    -- '' (or '{}' from older versions): alive but not serving yet.
    if summary and summary ~= '' and summary ~= '{}' then
        out[#out + 1] = summary
        out[#out + 1] = tostring(redis.call('PTTL', key))
    end
end
return out
