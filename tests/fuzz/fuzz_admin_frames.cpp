// The admin stream's client input (common/protocol/admin_client_frames):
// parseAdminClientFrame on any bytes agrees with the chat parser on the two
// frames both streams take (auth and ping: the same frame; any other chat
// frame: bad_request), refuses whatever is over 4 KiB, and a frame it
// accepts written back as JSON parses to the same frame. The upgrade's
// query (http/admin_stream_query) on the same bytes: refused whenever the
// strict form decoder (QueryString) refuses it, as every endpoint's query;
// an accepted one keeps a stream id of at most 128 characters and `after`
// in 0..2^63-1, and its values written back as a query read the same.

#include "fuzz_checks.h"
#include "http/admin_stream_query.h"
#include "http/query_string.h"
#include "protocol/admin_client_frames.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QUrl>
#include <cstdint>
#include <cstdio>

namespace {

using namespace sanayicin;
using namespace Qt::StringLiterals;

#define check(ok) checkAt((ok), __LINE__)
void checkAt(bool ok, int line)
{
    if (!ok) {
        fprintf(stderr, "admin_frames: property at line %d failed\n", line);
        __builtin_trap();
    }
}

QByteArray rewrite(const AdminClientFrame &f)
{
    if (const auto *a = std::get_if<AuthFrame>(&f))
        return QJsonDocument(QJsonObject{{u"type"_s, u"auth"_s}, {u"token"_s, a->token}})
            .toJson(QJsonDocument::Compact);
    const auto &p = std::get<PingFrame>(f);
    return p.hasTs ? R"({"type":"ping","ts":)" + p.tsJson + '}' : QByteArray(R"({"type":"ping"})");
}

bool same(const AdminClientFrame &a, const ClientFrame &b)
{
    if (const auto *x = std::get_if<AuthFrame>(&a)) {
        const auto *y = std::get_if<AuthFrame>(&b);
        return y && x->token == y->token;
    }
    if (const auto *x = std::get_if<PingFrame>(&a)) {
        const auto *y = std::get_if<PingFrame>(&b);
        return y && x->hasTs == y->hasTs && x->tsJson == y->tsJson;
    }
    return false;
}

void frames(QByteArrayView input)
{
    const AdminClientFrame f = parseAdminClientFrame(input);
    if (input.size() > kAdminFrameMaxBytes) {
        check(std::holds_alternative<FrameError>(f));
        return;
    }
    const ClientFrame chat = parseClientFrame(input);
    if (const auto *e = std::get_if<FrameError>(&f)) {
        check(!e->message.isEmpty());
        // Refused here: refused by the chat parser too, or another type.
        check(!std::holds_alternative<AuthFrame>(chat) && !std::holds_alternative<PingFrame>(chat));
        return;
    }
    check(same(f, chat));
    if (const auto *a = std::get_if<AuthFrame>(&f))
        check(fuzz::wellFormed(a->token));
    const AdminClientFrame back = parseAdminClientFrame(rewrite(f));
    check(back.index() == f.index());
    if (const auto *a = std::get_if<AuthFrame>(&back))
        check(a->token == std::get<AuthFrame>(f).token);
    if (const auto *p = std::get_if<PingFrame>(&back))
        check(p->hasTs == std::get<PingFrame>(f).hasTs && p->tsJson == std::get<PingFrame>(f).tsJson);
}

void query(QByteArrayView input)
{
    QString error;
    const auto r = parseAdminStreamQuery(input, error);
    if (!r) {
        check(!error.isEmpty());
        return;
    }
    check(QueryString::parse(input).has_value());
    check(r->stream.size() <= kAdminStreamIdMax);
    check(!r->after || *r->after >= 0);
    QByteArray again = "stream=" + QUrl::toPercentEncoding(r->stream);
    if (r->after)
        again += "&after=" + QByteArray::number(*r->after);
    const auto back = parseAdminStreamQuery(again, error);
    // What came out of the decoder reads the same written back.
    check(back && back->after == r->after && back->stream == r->stream);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArrayView input(reinterpret_cast<const char *>(data), qsizetype(size));
    frames(input);
    query(input);
    return 0;
}
