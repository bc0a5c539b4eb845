#include "msg_tag.h"

namespace sanayicin::loadgen {

namespace {

char *writeDecimal(char *p, uint64_t v)
{
    char tmp[20];
    int n = 0;
    do {
        tmp[n++] = char('0' + v % 10);
        v /= 10;
    } while (v);
    while (n)
        *p++ = tmp[--n];
    return p;
}

bool readDecimal(std::string_view &text, uint64_t &out)
{
    size_t i = 0;
    uint64_t v = 0;
    while (i < text.size() && text[i] >= '0' && text[i] <= '9' && i < 19)
        v = v * 10 + uint64_t(text[i++] - '0');
    if (i == 0)
        return false;
    out = v;
    text.remove_prefix(i);
    return true;
}

bool expectDot(std::string_view &text)
{
    if (text.empty() || text[0] != '.')
        return false;
    text.remove_prefix(1);
    return true;
}

} // namespace

size_t formatMsgTag(const MsgTag &tag, char *buf)
{
    static const char hex[] = "0123456789abcdef";
    char *p = buf;
    for (int s = 28; s >= 0; s -= 4)
        *p++ = hex[(tag.run >> s) & 0xF];
    *p++ = '.';
    p = writeDecimal(p, tag.connection);
    *p++ = '.';
    p = writeDecimal(p, tag.n);
    *p++ = '.';
    p = writeDecimal(p, uint64_t(tag.dueNs < 0 ? 0 : tag.dueNs));
    return size_t(p - buf);
}

bool parseMsgTag(std::string_view text, MsgTag &out)
{
    if (text.size() < 14 || text.size() > kMsgTagMax)
        return false;
    uint32_t run = 0;
    for (int i = 0; i < 8; ++i) {
        const char c = text[i];
        uint32_t d;
        if (c >= '0' && c <= '9')
            d = uint32_t(c - '0');
        else if (c >= 'a' && c <= 'f')
            d = uint32_t(c - 'a' + 10);
        else
            return false;
        run = (run << 4) | d;
    }
    text.remove_prefix(8);
    uint64_t conn = 0, n = 0, due = 0;
    if (!expectDot(text) || !readDecimal(text, conn) || !expectDot(text) || !readDecimal(text, n)
        || !expectDot(text) || !readDecimal(text, due) || !text.empty() || conn > UINT32_MAX)
        return false;
    out.run = run;
    out.connection = uint32_t(conn);
    out.n = n;
    out.dueNs = int64_t(due);
    return true;
}

} // namespace sanayicin::loadgen
