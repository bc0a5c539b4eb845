// The console's reading of the admin stream (console/core/stream): any bytes
// a server or proxy sends are refused or read without crashing; whatever is
// accepted is a JSON object (Qt's parser, the reference, agrees), holds
// every bound the parser promises (seq, counts, names, numbers), and reads
// the same once re-encoded; frames built from valid fields are accepted
// with those fields; and the seq cursor, fed any sequence of frames, only
// applies consecutive numbers after a welcome.

#include "stream/stream_frame_parser.h"

#include <QJsonDocument>
#include <QSet>
#include <fuzzer/FuzzedDataProvider.h>

#include <cmath>
#include <cstdint>
#include <cstdio>

namespace {

using namespace sanayicin::console;
using P = StreamFrameParser;

#define check(ok) checkAt((ok), __LINE__)
void checkAt(bool ok, int line)
{
    if (!ok) {
        fprintf(stderr, "admin_stream: property at line %d failed\n", line);
        __builtin_trap();
    }
}

bool goodNumber(const std::optional<double> &v)
{
    return !v || (std::isfinite(*v) && *v >= 0);
}

void checkPoint(const std::optional<StreamPoint> &p)
{
    if (!p)
        return;
    for (const auto &v : {p->messagesIn, p->messagesOut, p->ackP50Ms, p->ackP95Ms, p->ackP99Ms, p->connections,
                          p->writerBacklog})
        check(goodNumber(v));
}

bool goodName(const QString &s)
{
    return !s.isEmpty() && s.size() <= P::kMaxNameChars;
}

// Every bound of an accepted frame.
void checkFrame(const StreamFrame &f)
{
    check(!f.typeName.isEmpty());
    check(f.seq >= 0 && f.seq <= P::kMaxInteger);
    const bool outside = f.type == StreamFrame::Pong || f.type == StreamFrame::Error;
    check(f.seq > 0 || outside || f.type == StreamFrame::Welcome);
    switch (f.type) {
    case StreamFrame::Welcome:
        check(goodName(f.stream) && goodName(f.instance));
        check(f.heartbeatS >= 1 && f.heartbeatS <= P::kMaxHeartbeatS);
        break;
    case StreamFrame::Tick: {
        check(f.instances.size() <= P::kMaxInstances);
        QSet<QString> ids;
        for (const StreamInstance &i : f.instances) {
            check(goodName(i.id) && goodName(i.state) && !ids.contains(i.id));
            ids.insert(i.id);
            checkPoint(i.point);
        }
        checkPoint(f.cluster);
        break;
    }
    case StreamFrame::ReportFiled:
    case StreamFrame::ReportResolved:
    case StreamFrame::Moderation: {
        const double id = f.object.value(QLatin1StringView("id")).toDouble();
        check(id >= 1 && id <= double(P::kMaxInteger) && std::floor(id) == id);
        break;
    }
    case StreamFrame::Connections:
        check(f.opened.size() <= P::kMaxConnectionEvents && f.closed.size() <= P::kMaxConnectionEvents);
        for (const QJsonValue &v : f.opened)
            check(goodName(v.toObject().value(QLatin1StringView("instance")).toString()));
        for (const StreamConnectionRef &c : f.closed)
            check(goodName(c.instance) && c.id >= 0 && c.id <= P::kMaxInteger);
        break;
    case StreamFrame::Error:
        check(goodName(f.code) && f.message.size() <= P::kMaxMessageChars);
        break;
    case StreamFrame::ConnectionsReset:
    case StreamFrame::Pong:
    case StreamFrame::Unknown:
        break;
    }
}

// JSON as written (a number JSON cannot hold reads back as null both times).
QByteArray written(const QJsonObject &o)
{
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

bool sameFrame(const StreamFrame &a, const StreamFrame &b)
{
    return a.type == b.type && a.typeName == b.typeName && a.seq == b.seq && a.stream == b.stream
           && a.instance == b.instance && a.heartbeatS == b.heartbeatS && a.resumed == b.resumed
           && a.atMs == b.atMs && a.instances.size() == b.instances.size() && written(a.object) == written(b.object)
           && written({{QStringLiteral("o"), a.opened}}) == written({{QStringLiteral("o"), b.opened}})
           && a.closed.size() == b.closed.size() && a.code == b.code && a.message == b.message;
}

// Any bytes.
void readAnything(const QByteArray &bytes)
{
    const std::optional<StreamFrame> f = P::parse(bytes);
    if (!f)
        return;
    QJsonParseError e{};
    const QJsonDocument doc = QJsonDocument::fromJson(bytes, &e);
    check(e.error == QJsonParseError::NoError && doc.isObject());
    checkFrame(*f);
    // The same object written again reads the same.
    const auto again = P::parse(doc.toJson(QJsonDocument::Compact));
    check(again && sameFrame(*f, *again));
}

QString name(FuzzedDataProvider &in)
{
    QString s = QString::fromUtf8(in.ConsumeRandomLengthString(12));
    return s.isEmpty() ? QStringLiteral("i") : s.left(P::kMaxNameChars);
}

// A frame of the protocol from valid fields: accepted, with those fields.
void buildValid(FuzzedDataProvider &in)
{
    const qint64 seq = in.ConsumeIntegralInRange<qint64>(1, P::kMaxInteger);
    QJsonObject o{{QStringLiteral("seq"), double(seq)}};
    const int kind = in.ConsumeIntegralInRange(0, 3);
    QJsonArray opened, closed, instances;
    if (kind == 0) {
        o.insert(QStringLiteral("type"), QStringLiteral("connections"));
        const int n = in.ConsumeIntegralInRange(0, 20);
        for (int i = 0; i < n; ++i) {
            const QJsonObject c{{QStringLiteral("instance"), name(in)},
                                {QStringLiteral("id"), double(in.ConsumeIntegralInRange<qint64>(0, P::kMaxInteger))}};
            (in.ConsumeBool() ? opened : closed).append(c);
        }
        o.insert(QStringLiteral("opened"), opened);
        o.insert(QStringLiteral("closed"), closed);
    } else if (kind == 1) {
        o.insert(QStringLiteral("type"), QStringLiteral("tick"));
        o.insert(QStringLiteral("t"), QStringLiteral("2026-12-03T17:00:00.000Z"));
        const int n = in.ConsumeIntegralInRange(0, 8);
        for (int i = 0; i < n; ++i) {
            QJsonObject point{{QStringLiteral("messages_in"), in.ConsumeFloatingPointInRange<double>(0, 1e9)},
                              {QStringLiteral("ack_p95_ms"), in.ConsumeBool() ? QJsonValue() : QJsonValue(1.5)}};
            instances.append(QJsonObject{{QStringLiteral("id"), QStringLiteral("i%1").arg(i)},
                                         {QStringLiteral("state"), name(in)},
                                         {QStringLiteral("point"), in.ConsumeBool() ? QJsonValue(point) : QJsonValue()}});
        }
        o.insert(QStringLiteral("instances"), instances);
        o.insert(QStringLiteral("cluster"), QJsonValue());
    } else if (kind == 2) {
        o.insert(QStringLiteral("type"), QStringLiteral("report_filed"));
        o.insert(QStringLiteral("report"),
                 QJsonObject{{QStringLiteral("id"), double(in.ConsumeIntegralInRange<qint64>(1, P::kMaxInteger))},
                             {QStringLiteral("reason"), QString::fromUtf8(in.ConsumeRandomLengthString(40))}});
    } else {
        o.insert(QStringLiteral("type"), QStringLiteral("welcome"));
        o.insert(QStringLiteral("stream"), name(in));
        o.insert(QStringLiteral("instance"), name(in));
        o.insert(QStringLiteral("user"), QJsonObject());
        o.insert(QStringLiteral("heartbeat_s"), in.ConsumeIntegralInRange(1, P::kMaxHeartbeatS));
        o.insert(QStringLiteral("resumed"), in.ConsumeBool());
    }
    const auto f = P::parse(QJsonDocument(o).toJson(QJsonDocument::Compact));
    check(bool(f));
    checkFrame(*f);
    check(f->seq == seq);
    check(f->opened.size() == opened.size() && f->closed.size() == closed.size());
    check(f->instances.size() == instances.size());
}

// A run of frames through the cursor: applied numbered frames are
// consecutive after a welcome; nothing is applied before one.
void followCursor(FuzzedDataProvider &in)
{
    StreamCursor cursor;
    while (in.remaining_bytes() > 0) {
        StreamFrame f;
        const int what = in.ConsumeIntegralInRange(0, 9);
        f.type = what == 0 ? StreamFrame::Welcome : (what == 1 ? StreamFrame::Pong : StreamFrame::Tick);
        f.seq = f.type == StreamFrame::Pong ? 0 : in.ConsumeIntegralInRange<qint64>(0, 40);
        if (in.ConsumeIntegralInRange(0, 15) == 0)
            cursor.disconnected();
        const bool welcomedBefore = cursor.welcomed();
        const qint64 before = cursor.lastSeq();
        const StreamCursor::Verdict v = cursor.accept(f);
        if (f.type == StreamFrame::Welcome) {
            check(welcomedBefore ? v == StreamCursor::Violation : (v == StreamCursor::Apply && cursor.lastSeq() == f.seq));
        } else if (f.seq == 0) {
            check(v == StreamCursor::Apply && cursor.lastSeq() == before);
        } else if (v == StreamCursor::Apply) {
            check(welcomedBefore && f.seq == before + 1 && cursor.lastSeq() == f.seq);
        } else {
            check(cursor.lastSeq() == before);
            check(welcomedBefore || v == StreamCursor::Violation);
        }
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 256 * 1024)
        return 0;
    if (size > 0 && data[0] == '#') {
        // Structured: frames from fields, or the cursor.
        FuzzedDataProvider in(data + 1, size - 1);
        if (in.ConsumeBool())
            buildValid(in);
        else
            followCursor(in);
        return 0;
    }
    readAnything(QByteArray::fromRawData(reinterpret_cast<const char *>(data), qsizetype(size)));
    return 0;
}
