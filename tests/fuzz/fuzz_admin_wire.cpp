// The console's cluster questions and answers, and the admin streams'
// broadcasts, as they come out of Redis
// (bridge/admin_wire): any bytes decode or are refused without crashing;
// whatever decodes stays within the bounds (rows, points, texts) and
// re-encodes to something that decodes to the same value, stably; any
// request or reply built from valid fields encodes and decodes back to
// itself; and an instance's firstRows followed by the asker's mergePage
// gives exactly the page a single sorted list would.

#include "bridge/admin_wire.h"

#include <QSet>
#include <fuzzer/FuzzedDataProvider.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>

namespace {

using namespace sanayicin;
using namespace sanayicin::admin;

// Says which property failed (the reproducer's log), then stops.
#define check(ok) checkAt((ok), __LINE__)
void checkAt(bool ok, int line)
{
    if (!ok) {
        fprintf(stderr, "admin_wire: property at line %d failed\n", line);
        __builtin_trap();
    }
}

QString text(FuzzedDataProvider &in, size_t max = 24)
{
    return QString::fromStdString(in.ConsumeRandomLengthString(max));
}

qint64 small(FuzzedDataProvider &in, qint64 max = (qint64(1) << 53) - 1)
{
    return in.ConsumeIntegralInRange<qint64>(0, max);
}

double rate(FuzzedDataProvider &in)
{
    return in.ConsumeFloatingPointInRange<double>(0, 1e6);
}

void decodeAnything(const QByteArray &payload)
{
    if (const auto q = decodeRequest(payload)) {
        check(q->connections.offset <= kMaxOffset && q->connections.limit <= kMaxRows);
        check(q->ask != Ask::Kick || !q->target.isEmpty());
        const QByteArray again = encodeRequest(*q);
        const auto back = decodeRequest(again);
        check(back && *back == *q && encodeRequest(*back) == again);
    }
    if (const auto r = decodeReply(payload)) {
        check(r->rows.size() <= kMaxRows && r->total >= r->rows.size());
        check(r->points.size() <= kMaxPoints && r->queues.size() <= kMaxQueues);
        for (const StatsPoint &p : r->points)
            check(p.httpErrorRate <= 1 && p.http5xxRate <= p.httpErrorRate);
        const QByteArray again = encodeReply(*r);
        const auto back = decodeReply(again);
        check(back && *back == *r && encodeReply(*back) == again);
    }
    if (const auto b = decodeBroadcast(payload)) {
        check(!b->from.isEmpty() && b->opened.size() <= kMaxRows && b->closed.size() <= kMaxRows);
        check(b->summary.size() <= kMaxObjectBytes && b->body.size() <= kMaxObjectBytes);
        for (qint64 id : b->closed)
            check(id >= 1);
        const QByteArray again = encodeBroadcast(*b);
        const auto back = decodeBroadcast(again);
        check(back && *back == *b && encodeBroadcast(*back) == again);
    }
}

ConnectionRow row(FuzzedDataProvider &in)
{
    ConnectionRow c;
    c.id = small(in, 50);
    c.userId = small(in, 5);
    c.username = text(in, 6);
    c.address = text(in, 6);
    c.openedAtMs = small(in, 5);
    c.authenticated = in.ConsumeBool();
    c.unsentBytes = small(in, 5);
    c.instance = QStringLiteral("i") + QString::number(in.ConsumeIntegralInRange(0, 3));
    return c;
}

ConnectionQuery query(FuzzedDataProvider &in)
{
    ConnectionQuery q;
    q.userId = small(in, 5);
    q.usernamePrefix = text(in, 2);
    q.instance = in.ConsumeBool() ? QString() : QStringLiteral("i1");
    q.addressPrefix = text(in, 2);
    q.sort = SortKey(in.ConsumeIntegralInRange(0, 4));
    q.descending = in.ConsumeBool();
    q.limit = in.ConsumeIntegralInRange<qint64>(0, kMaxLimit);
    q.offset = in.ConsumeIntegralInRange<qint64>(0, 40);
    return q;
}

void requestRoundTrip(FuzzedDataProvider &in)
{
    Request q;
    q.id = QStringLiteral("r") + text(in, 20);
    q.origin = QStringLiteral("o") + text(in);
    q.target = text(in);
    q.deadlineMs = small(in);
    q.ask = Ask(in.ConsumeIntegralInRange(0, 3));
    if (q.ask == Ask::Connections)
        q.connections = query(in);
    if (q.ask == Ask::Series) {
        q.windowS = in.ConsumeIntegralInRange<qint64>(1, kMaxPoints);
        q.stepS = in.ConsumeIntegralInRange<qint64>(1, kMaxPoints);
    }
    if (q.ask == Ask::Kick) {
        q.connectionId = in.ConsumeIntegralInRange<qint64>(1, (qint64(1) << 53) - 1);
        q.target = QStringLiteral("t") + q.target;
    }
    const auto back = decodeRequest(encodeRequest(q));
    check(back && *back == q);
}

void replyRoundTrip(FuzzedDataProvider &in)
{
    Reply r;
    r.id = QStringLiteral("r") + text(in, 20);
    r.from = QStringLiteral("f") + text(in);
    r.ask = Ask(in.ConsumeIntegralInRange(0, 3));
    const int n = in.ConsumeIntegralInRange(0, 12);
    for (int i = 0; i < n; ++i) {
        switch (r.ask) {
        case Ask::Connections: r.rows << row(in); break;
        case Ask::Queues:
            if (r.queues.size() < kMaxQueues)
                r.queues << QueueRow{QStringLiteral("q") + text(in), small(in),
                                     in.ConsumeBool() ? std::optional<qint64>(small(in)) : std::nullopt};
            break;
        case Ask::Series: {
            StatsPoint p;
            p.second = small(in);
            p.messagesIn = rate(in);
            p.messagesOut = rate(in);
            if (in.ConsumeBool())
                p.ackP50Ms = rate(in);
            if (in.ConsumeBool())
                p.ackP99Ms = rate(in);
            p.connections = small(in);
            p.httpRps = rate(in);
            p.httpErrorRate = in.ConsumeProbability<double>();
            p.http5xxRate = p.httpErrorRate * in.ConsumeProbability<double>();
            p.writerBacklog = small(in);
            r.points << p;
            break;
        }
        case Ask::Kick: break;
        }
    }
    // Each kind carries only its own fields.
    r.total = r.ask == Ask::Connections ? r.rows.size() + small(in, 1000) : 0;
    r.found = in.ConsumeBool();
    r.userId = r.ask == Ask::Kick ? small(in) : 0;
    if (r.ask != Ask::Kick)
        r.found = false;
    const auto back = decodeReply(encodeReply(r));
    check(back && *back == r);
}

// Instances each answer their first offset+limit rows; the merged page is
// the page of everything sorted at once.
void pagesAgree(FuzzedDataProvider &in)
{
    const ConnectionQuery q = query(in);
    QList<ConnectionRow> all;
    QList<QList<ConnectionRow>> byInstance(4);
    const int n = in.ConsumeIntegralInRange(0, 60);
    QSet<QPair<QString, qint64>> seen;
    for (int i = 0; i < n; ++i) {
        ConnectionRow c = row(in);
        if (seen.contains({c.instance, c.id})) // (instance, id) is unique
            continue;
        seen.insert({c.instance, c.id});
        all << c;
        byInstance[c.instance.mid(1).toInt()] << c;
    }
    ConnectionQuery perInstance = q;
    perInstance.offset = 0;
    perInstance.limit = q.offset + q.limit;
    QList<QList<ConnectionRow>> parts;
    qint64 total = 0;
    for (const auto &rows : byInstance) {
        qint64 t = 0;
        parts << firstRows(rows, perInstance, t);
        check(parts.last().size() <= perInstance.limit && parts.last().size() <= t);
        total += t;
    }
    qint64 expectedTotal = 0;
    const QList<ConnectionRow> whole = firstRows(all, perInstance, expectedTotal);
    check(total == expectedTotal);
    const QList<ConnectionRow> page = mergePage(parts, q);
    check(page == whole.mid(qsizetype(std::min<qint64>(q.offset, whole.size()))));
    for (qsizetype i = 1; i < page.size(); ++i)
        check(q.before(page[i - 1], page[i]));
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray payload(reinterpret_cast<const char *>(data), qsizetype(size));
    decodeAnything(payload);
    FuzzedDataProvider in(data, size);
    requestRoundTrip(in);
    replyRoundTrip(in);
    pagesAgree(in);
    return 0;
}
