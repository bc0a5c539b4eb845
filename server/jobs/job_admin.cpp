#include "job_admin.h"

namespace sanayicin::jobs {

namespace {

bool onlyOf(const QString &s, bool (*allowed)(char16_t))
{
    if (s.isEmpty() || s.size() > 64)
        return false;
    for (const QChar c : s)
        if (!allowed(c.unicode()))
            return false;
    return true;
}

} // namespace

bool isValidQueueName(const QString &name)
{
    return onlyOf(name, [](char16_t c) {
        return (c >= u'a' && c <= u'z') || (c >= u'A' && c <= u'Z') || (c >= u'0' && c <= u'9') || c == u'.' || c == u'_'
               || c == u'-';
    });
}

bool isValidDeadLetterId(const QString &id)
{
    return onlyOf(id, [](char16_t c) { return (c >= u'0' && c <= u'9') || c == u'-'; });
}

} // namespace sanayicin::jobs
