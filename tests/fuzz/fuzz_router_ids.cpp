// Router {id} matching and pathId on arbitrary path segments. Checked:
// - "/x/{id}" matches exactly the segments made of ASCII digits, so that
//   access checks run for any id a client writes;
// - pathId gives the value for 1 to 2^63 - 1 written without leading zeros
//   and 0 for everything else, against a reference that compares digit
//   strings (no integer arithmetic that could overflow the same way);
// - Route::idsExist agrees with pathId.

#include "http/router.h"

#include <cstdint>

using namespace sanayicin;

namespace {

[[noreturn]] void fail(const char *what)
{
    fprintf(stderr, "property violated: %s\n", what);
    __builtin_trap();
}

bool allAsciiDigits(const QString &s)
{
    if (s.isEmpty())
        return false;
    for (QChar c : s)
        if (c.unicode() < '0' || c.unicode() > '9')
            return false;
    return true;
}

qint64 referenceId(const QString &s)
{
    if (!allAsciiDigits(s) || s[0] == u'0')
        return 0;
    static const QString max = QStringLiteral("9223372036854775807");
    if (s.size() > max.size() || (s.size() == max.size() && s > max))
        return 0;
    return s.toLongLong();
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static Router *router = [] {
        auto *r = new Router;
        r->add(HttpMethod::Get, "/x/{id}", Access::Admin, [](const CallPtr &) {});
        r->add(HttpMethod::Get, "/y/{id}/z/{id}", Access::User, [](const CallPtr &) {});
        return r;
    }();
    const QString segment =
        QString::fromUtf8(reinterpret_cast<const char *>(data), qsizetype(size));
    if (segment.contains(u'/'))
        return 0; // one segment only

    const qint64 expected = referenceId(segment);
    if (pathId(segment) != expected)
        fail("pathId differs from the reference");

    QStringList params;
    const Route *r = router->match(HttpMethod::Get, QStringLiteral("/x/") + segment, params);
    if (bool(r) != allAsciiDigits(segment))
        fail("{id} matched something that is not a run of digits, or missed one");
    if (r) {
        if (params != QStringList{segment})
            fail("captured segment differs");
        if (r->idsExist(params) != (expected != 0))
            fail("idsExist disagrees with pathId");
    }
    const Route *two = router->match(
        HttpMethod::Get, QStringLiteral("/y/7/z/") + segment, params);
    if (two && two->idsExist(params) != (expected != 0))
        fail("idsExist ignores the second id");
    return 0;
}
