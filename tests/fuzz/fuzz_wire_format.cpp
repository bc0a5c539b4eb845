// What instances tell each other through Redis (bridge/wire_format): any
// bytes decode without crashing or reading past the payload, and whatever
// decodes re-encodes to exactly the same bytes (nothing repaired, nothing
// ignored); any batch or event encodes and decodes back to the same fields.

#include "bridge/wire_format.h"

#include <fuzzer/FuzzedDataProvider.h>

#include <cstdint>

namespace {

using namespace sanayicin;

void check(bool ok)
{
    if (!ok)
        __builtin_trap();
}

// Text as a QString can hold it after UTF-8 (invalid input repaired first).
QString text(FuzzedDataProvider &in)
{
    return QString::fromStdString(in.ConsumeRandomLengthString(40));
}

void decodeAnything(const QByteArray &payload)
{
    if (const auto b = wire::decodeBatch(payload)) {
        MessageBatch batch;
        for (const auto &m : b->messages)
            batch.push_back(m);
        check(wire::encodeBatch(b->origin, batch) == payload);
        for (const auto &m : b->messages)
            check(m->frame == "{\"type\":\"message\",\"message\":" + m->json + '}');
    }
    if (const auto e = wire::decodeEvent(payload))
        check(wire::encodeEvent(*e) == payload);
}

void batchRoundTrip(FuzzedDataProvider &in)
{
    const QString origin = text(in);
    MessageBatch batch;
    const int n = in.ConsumeIntegralInRange(0, 20);
    for (int i = 0; i < n; ++i) {
        Message m;
        m.id = in.ConsumeIntegral<qint64>();
        m.conversationId = in.ConsumeIntegral<qint64>();
        m.seq = in.ConsumeIntegral<qint64>();
        m.senderId = in.ConsumeIntegral<qint64>();
        m.createdAtMs = in.ConsumeIntegral<qint64>();
        m.body = text(in);
        m.clientMsgId = text(in);
        m.deleted = in.ConsumeBool();
        const qint64 a = in.ConsumeIntegral<qint64>(), b = in.ConsumeIntegral<qint64>();
        batch.push_back(DeliveredMessage::make(m, a, b, in.ConsumeIntegral<qint64>()));
    }
    const QByteArray payload = wire::encodeBatch(origin, batch);
    const auto d = wire::decodeBatch(payload);
    check(d && d->origin == origin && d->messages.size() == batch.size());
    for (size_t i = 0; i < batch.size(); ++i) {
        const DeliveredMessage &x = *batch[i];
        const DeliveredMessage &y = *d->messages[i];
        check(x.userA == y.userA && x.userB == y.userB && x.message.id == y.message.id
              && x.message.conversationId == y.message.conversationId
              && x.message.seq == y.message.seq && x.message.senderId == y.message.senderId
              && x.message.createdAtMs == y.message.createdAtMs && x.json == y.json
              && x.frame == y.frame && y.originConnection == 0);
    }
    check(!wire::decodeEvent(payload));
}

void eventRoundTrip(FuzzedDataProvider &in)
{
    wire::Event e;
    e.kind = wire::EventKind(in.ConsumeIntegralInRange(1, 7));
    e.origin = text(in);
    const int n = in.ConsumeIntegralInRange(0, 50);
    for (int i = 0; i < n; ++i)
        e.users.push_back(in.ConsumeIntegral<qint64>());
    e.frame = text(in).toUtf8();
    e.userId = in.ConsumeIntegral<qint64>();
    e.code = in.ConsumeIntegral<int>();
    e.reason = text(in);
    e.tokenHash = QByteArray::fromStdString(in.ConsumeRandomLengthString(64));
    e.online = in.ConsumeBool();
    e.version = in.ConsumeIntegral<qint64>();
    const QByteArray payload = wire::encodeEvent(e);
    const auto d = wire::decodeEvent(payload);
    check(d && d->kind == e.kind && d->origin == e.origin && d->users == e.users
          && d->frame == e.frame && d->userId == e.userId && d->code == e.code
          && d->reason == e.reason && d->tokenHash == e.tokenHash && d->online == e.online
          && d->version == e.version);
    check(!wire::decodeBatch(payload));
    // Every shorter prefix is refused.
    for (qsizetype cut = 0; cut < payload.size(); cut += 1 + payload.size() / 16)
        check(!wire::decodeEvent(payload.left(cut)));
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    switch (data[0] % 3) {
    case 0:
        // Any bytes, as a subscriber receives them (copied: an exact-size
        // buffer lets ASan see any read past the end).
        decodeAnything(QByteArray(reinterpret_cast<const char *>(data + 1), qsizetype(size - 1)));
        break;
    case 1: {
        FuzzedDataProvider in(data + 1, size - 1);
        batchRoundTrip(in);
        break;
    }
    default: {
        FuzzedDataProvider in(data + 1, size - 1);
        eventRoundTrip(in);
        break;
    }
    }
    return 0;
}
