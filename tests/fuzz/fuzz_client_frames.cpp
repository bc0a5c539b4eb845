// parseClientFrame on any bytes: a typed frame only when every rule of the
// contract holds (ids positive, client_msg_id 1-64 and body 1-4000 code
// points, body not blank, no U+0000 or lone surrogate anywhere, sync limit
// clamped), a bad_request with a message otherwise; and a typed frame
// written back as JSON parses to the same frame.

#include "fuzz_checks.h"
#include "protocol/client_frames.h"
#include "protocol/limits.h"
#include "text/text_rules.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <cstdint>

namespace {

using namespace sanayicin;
using namespace Qt::StringLiterals;

QByteArray write(const QJsonObject &o)
{
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

// The frame as a client would send it.
QByteArray rewrite(const ClientFrame &f)
{
    if (const auto *a = std::get_if<AuthFrame>(&f))
        return write({{u"type"_s, u"auth"_s}, {u"token"_s, a->token}});
    if (const auto *s = std::get_if<SendFrame>(&f))
        return write({{u"type"_s, u"send"_s}, {u"conversation_id"_s, s->conversationId},
                      {u"client_msg_id"_s, s->clientMsgId}, {u"body"_s, s->body}});
    if (const auto *t = std::get_if<TypingFrame>(&f))
        return write({{u"type"_s, u"typing"_s}, {u"conversation_id"_s, t->conversationId}});
    if (const auto *r = std::get_if<ReadFrame>(&f))
        return write({{u"type"_s, u"read"_s}, {u"conversation_id"_s, r->conversationId},
                      {u"message_id"_s, r->messageId}});
    if (const auto *s = std::get_if<SyncFrame>(&f))
        return write({{u"type"_s, u"sync"_s}, {u"after_id"_s, s->afterId}, {u"limit"_s, s->limit}});
    const auto &p = std::get<PingFrame>(f);
    if (!p.hasTs)
        return R"({"type":"ping"})";
    return R"({"type":"ping","ts":)" + p.tsJson + '}';
}

bool sameFrame(const ClientFrame &a, const ClientFrame &b)
{
    if (a.index() != b.index())
        return false;
    if (const auto *x = std::get_if<AuthFrame>(&a))
        return x->token == std::get<AuthFrame>(b).token;
    if (const auto *x = std::get_if<SendFrame>(&a)) {
        const auto &y = std::get<SendFrame>(b);
        return x->conversationId == y.conversationId && x->clientMsgId == y.clientMsgId
               && x->body == y.body;
    }
    if (const auto *x = std::get_if<TypingFrame>(&a))
        return x->conversationId == std::get<TypingFrame>(b).conversationId;
    if (const auto *x = std::get_if<ReadFrame>(&a)) {
        const auto &y = std::get<ReadFrame>(b);
        return x->conversationId == y.conversationId && x->messageId == y.messageId;
    }
    if (const auto *x = std::get_if<SyncFrame>(&a)) {
        const auto &y = std::get<SyncFrame>(b);
        return x->afterId == y.afterId && x->limit == y.limit;
    }
    const auto &x = std::get<PingFrame>(a);
    const auto &y = std::get<PingFrame>(b);
    return x.hasTs == y.hasTs && x.tsJson == y.tsJson;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArrayView input(reinterpret_cast<const char *>(data), qsizetype(size));
    const ClientFrame f = parseClientFrame(input);
    if (const auto *e = std::get_if<FrameError>(&f)) {
        if (e->message.isEmpty())
            __builtin_trap();
        return 0;
    }
    if (const auto *a = std::get_if<AuthFrame>(&f)) {
        if (!fuzz::storable(a->token))
            __builtin_trap();
    } else if (const auto *s = std::get_if<SendFrame>(&f)) {
        if (s->conversationId <= 0 || !fuzz::storable(s->body) || !fuzz::storable(s->clientMsgId)
            || !hasLengthBetween(s->clientMsgId, 1, protocol::kClientMsgIdMax)
            || !hasLengthBetween(s->body, 1, protocol::kBodyMax) || isBlank(s->body))
            __builtin_trap();
    } else if (const auto *t = std::get_if<TypingFrame>(&f)) {
        if (t->conversationId <= 0)
            __builtin_trap();
    } else if (const auto *r = std::get_if<ReadFrame>(&f)) {
        if (r->conversationId <= 0 || r->messageId <= 0)
            __builtin_trap();
    } else if (const auto *s = std::get_if<SyncFrame>(&f)) {
        if (s->afterId < 0 || s->limit < 0 || s->limit > protocol::kSyncLimitMax)
            __builtin_trap();
    } else if (const auto *p = std::get_if<PingFrame>(&f)) {
        // ts goes back to the client inside a pong: it must be JSON itself.
        if (p->hasTs && QJsonDocument::fromJson("[" + p->tsJson + "]").isNull())
            __builtin_trap();
    }
    if (!sameFrame(f, parseClientFrame(rewrite(f))))
        __builtin_trap();
    return 0;
}
