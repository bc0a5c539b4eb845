#include "stream_frame_parser.h"

#include <QDateTime>
#include <QJsonDocument>
#include <QJsonParseError>
#include <QSet>
#include <QStringView>
#include <cmath>

using namespace Qt::StringLiterals;

namespace sanayicin::console {

namespace {

using P = StreamFrameParser;

// The first refusal wins: each check returns false and leaves its reason.
struct Reader
{
    QString error;

    bool fail(const QString &why)
    {
        if (error.isEmpty())
            error = why;
        return false;
    }

    bool integer(const QJsonObject &o, QLatin1StringView key, qint64 min, qint64 max, qint64 &out)
    {
        const QJsonValue v = o.value(key);
        if (!v.isDouble())
            return fail(key + u" is not a number"_s);
        const double d = v.toDouble();
        if (!std::isfinite(d) || std::floor(d) != d || d < double(min) || d > double(max))
            return fail(key + u" is not an integer in range"_s);
        out = qint64(d);
        return true;
    }

    bool name(const QJsonObject &o, QLatin1StringView key, QString &out, bool mayBeEmpty = false,
              qsizetype max = P::kMaxNameChars)
    {
        const QJsonValue v = o.value(key);
        if (!v.isString())
            return fail(key + u" is not a string"_s);
        out = v.toString();
        if ((!mayBeEmpty && out.isEmpty()) || out.size() > max)
            return fail(key + u" has a bad length"_s);
        return true;
    }

    bool object(const QJsonObject &o, QLatin1StringView key, QJsonObject &out)
    {
        const QJsonValue v = o.value(key);
        if (!v.isObject())
            return fail(key + u" is not an object"_s);
        out = v.toObject();
        return true;
    }

    // A number that may be absent or null; when there, finite and >= 0.
    bool optionalNumber(const QJsonObject &o, QLatin1StringView key, std::optional<double> &out)
    {
        const QJsonValue v = o.value(key);
        if (v.isUndefined() || v.isNull())
            return true;
        if (!v.isDouble() || !std::isfinite(v.toDouble()) || v.toDouble() < 0)
            return fail(key + u" is not a non-negative number"_s);
        out = v.toDouble();
        return true;
    }

    bool point(const QJsonValue &v, std::optional<StreamPoint> &out)
    {
        if (v.isNull() || v.isUndefined())
            return true; // no second measured yet
        if (!v.isObject())
            return fail(u"point is not an object"_s);
        StreamPoint p;
        p.json = v.toObject();
        if (!optionalNumber(p.json, "messages_in"_L1, p.messagesIn)
            || !optionalNumber(p.json, "messages_out"_L1, p.messagesOut)
            || !optionalNumber(p.json, "ack_p50_ms"_L1, p.ackP50Ms)
            || !optionalNumber(p.json, "ack_p95_ms"_L1, p.ackP95Ms)
            || !optionalNumber(p.json, "ack_p99_ms"_L1, p.ackP99Ms)
            || !optionalNumber(p.json, "connections"_L1, p.connections)
            || !optionalNumber(p.json, "writer_backlog"_L1, p.writerBacklog))
            return false;
        out = std::move(p);
        return true;
    }

    bool time(const QJsonObject &o, QLatin1StringView key, qint64 &ms)
    {
        QString text;
        if (!name(o, key, text, false, 64))
            return false;
        const QDateTime t = QDateTime::fromString(text, Qt::ISODateWithMs);
        if (!t.isValid())
            return fail(key + u" is not a time"_s);
        ms = t.toMSecsSinceEpoch();
        return true;
    }

    // An array of at most `max` elements.
    bool array(const QJsonObject &o, QLatin1StringView key, qsizetype max, QJsonArray &out)
    {
        const QJsonValue v = o.value(key);
        if (!v.isArray())
            return fail(key + u" is not an array"_s);
        out = v.toArray();
        if (out.size() > max)
            return fail(key + u" has too many elements"_s);
        return true;
    }

    // An object the tables show, known by a positive integer `id`.
    bool row(const QJsonObject &o, QLatin1StringView key, QJsonObject &out)
    {
        qint64 id = 0;
        return object(o, key, out) && integer(out, "id"_L1, 1, P::kMaxInteger, id);
    }

    bool welcome(const QJsonObject &o, StreamFrame &f)
    {
        qint64 heartbeat = 0;
        const QJsonValue resumed = o.value("resumed"_L1);
        if (!resumed.isBool())
            return fail(u"resumed is not a boolean"_s);
        f.resumed = resumed.toBool();
        return name(o, "stream"_L1, f.stream) && name(o, "instance"_L1, f.instance)
               && object(o, "user"_L1, f.user)
               && integer(o, "heartbeat_s"_L1, 1, P::kMaxHeartbeatS, heartbeat)
               && (f.heartbeatS = int(heartbeat), true);
    }

    bool tick(const QJsonObject &o, StreamFrame &f)
    {
        QJsonArray instances;
        if (!time(o, "t"_L1, f.atMs) || !array(o, "instances"_L1, P::kMaxInstances, instances)
            || !point(o.value("cluster"_L1), f.cluster))
            return false;
        f.instances.reserve(instances.size());
        QSet<QString> ids;
        for (const QJsonValue &v : std::as_const(instances)) {
            if (!v.isObject())
                return fail(u"an instance is not an object"_s);
            StreamInstance i;
            i.json = v.toObject();
            if (!name(i.json, "id"_L1, i.id) || !name(i.json, "state"_L1, i.state)
                || !point(i.json.value("point"_L1), i.point))
                return false;
            if (ids.contains(i.id))
                return fail(u"an instance is listed twice"_s);
            ids.insert(i.id);
            f.instances.append(std::move(i));
        }
        return true;
    }

    bool connection(const QJsonValue &v, QString &instance, qint64 &id)
    {
        if (!v.isObject())
            return fail(u"a connection is not an object"_s);
        const QJsonObject c = v.toObject();
        return name(c, "instance"_L1, instance) && integer(c, "id"_L1, 0, P::kMaxInteger, id);
    }

    bool connections(const QJsonObject &o, StreamFrame &f)
    {
        QJsonArray closed;
        if (!array(o, "opened"_L1, P::kMaxConnectionEvents, f.opened)
            || !array(o, "closed"_L1, P::kMaxConnectionEvents, closed))
            return false;
        QString instance;
        qint64 id = 0;
        for (const QJsonValue &v : std::as_const(f.opened))
            if (!connection(v, instance, id))
                return false;
        f.closed.reserve(closed.size());
        for (const QJsonValue &v : std::as_const(closed)) {
            if (!connection(v, instance, id))
                return false;
            f.closed.append({instance, id});
        }
        return true;
    }
};

struct TypeName
{
    QLatin1StringView name;
    StreamFrame::Type type;
};

constexpr TypeName kTypes[] = {
    {"welcome"_L1, StreamFrame::Welcome},
    {"tick"_L1, StreamFrame::Tick},
    {"report_filed"_L1, StreamFrame::ReportFiled},
    {"report_resolved"_L1, StreamFrame::ReportResolved},
    {"moderation"_L1, StreamFrame::Moderation},
    {"connections"_L1, StreamFrame::Connections},
    {"connections_reset"_L1, StreamFrame::ConnectionsReset},
    {"pong"_L1, StreamFrame::Pong},
    {"error"_L1, StreamFrame::Error},
};

} // namespace

std::optional<StreamFrame> StreamFrameParser::parse(QByteArrayView text, QString *error)
{
    Reader r;
    const auto refuse = [&r, error]() -> std::optional<StreamFrame> {
        if (error)
            *error = r.error;
        return std::nullopt;
    };
    if (text.isEmpty() || text.size() > kMaxFrameBytes) {
        r.fail(u"the message is empty or too long"_s);
        return refuse();
    }
    QJsonParseError parseError{};
    const QJsonDocument doc = QJsonDocument::fromJson(text.toByteArray(), &parseError);
    if (parseError.error != QJsonParseError::NoError || !doc.isObject()) {
        r.fail(u"not a JSON object"_s);
        return refuse();
    }
    const QJsonObject o = doc.object();
    StreamFrame f;
    if (!r.name(o, "type"_L1, f.typeName, false, 64))
        return refuse();
    for (const TypeName &t : kTypes)
        if (f.typeName == t.name)
            f.type = t.type;

    // pong and error are answers to this connection, outside the stream.
    const bool numbered = f.type != StreamFrame::Pong && f.type != StreamFrame::Error;
    if (numbered || o.contains("seq"_L1)) {
        if (!r.integer(o, "seq"_L1, f.type == StreamFrame::Welcome ? 0 : 1, kMaxInteger, f.seq))
            return refuse();
    }

    bool ok = true;
    switch (f.type) {
    case StreamFrame::Welcome:
        ok = r.welcome(o, f);
        break;
    case StreamFrame::Tick:
        ok = r.tick(o, f);
        break;
    case StreamFrame::ReportFiled:
    case StreamFrame::ReportResolved:
        ok = r.row(o, "report"_L1, f.object);
        break;
    case StreamFrame::Moderation:
        ok = r.row(o, "entry"_L1, f.object);
        break;
    case StreamFrame::Connections:
        ok = r.connections(o, f);
        break;
    case StreamFrame::Error:
        ok = r.name(o, "code"_L1, f.code) && r.name(o, "message"_L1, f.message, true, kMaxMessageChars);
        break;
    case StreamFrame::ConnectionsReset:
    case StreamFrame::Pong:
    case StreamFrame::Unknown:
        break;
    }
    if (!ok)
        return refuse();
    return f;
}

StreamCursor::Verdict StreamCursor::accept(const StreamFrame &frame)
{
    if (frame.type == StreamFrame::Welcome) {
        if (m_welcomed)
            return Violation;
        m_welcomed = true;
        m_stream = frame.stream;
        m_last = frame.seq;
        return Apply;
    }
    if (frame.seq == 0) // pong, error: not numbered
        return Apply;
    if (!m_welcomed)
        return Violation;
    if (frame.seq <= m_last)
        return Duplicate;
    if (frame.seq != m_last + 1)
        return Gap;
    m_last = frame.seq;
    return Apply;
}

void StreamCursor::forget()
{
    m_stream.clear();
    m_last = 0;
    m_welcomed = false;
}

} // namespace sanayicin::console
