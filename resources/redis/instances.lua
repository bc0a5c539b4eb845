-- The summaries of the instances alive now (see heartbeat.lua).
local out = {}
for _, inst in ipairs(redis.call('SMEMBERS', 'sanayicin:instances')) do
    local summary = redis.call('GET', 'sanayicin:instance:' .. inst)
    -- '' (or '{}' from older versions): alive but not serving yet.
    if summary and summary ~= '' and summary ~= '{}' then
        out[#out + 1] = summary
    end
end
return out
