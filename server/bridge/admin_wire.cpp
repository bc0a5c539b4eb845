#include "admin_wire.h"

#include "json/json_writer.h"
#include "protocol/json_input.h"
#include "text/text_rules.h"
#include "time/rfc3339.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <algorithm>
#include <cmath>

namespace sanayicin::admin {

namespace {

// Integers travel as JSON numbers, which Qt reads as doubles: from 2^53 on,
// two integers read as one, so nothing from there up is taken.
constexpr double kMaxExactInteger = 9007199254740992.0; // 2^53
constexpr double kMaxRate = 1e15;

const char *askName(Ask a)
{
    switch (a) {
    case Ask::Connections: return "connections";
    case Ask::Queues: return "queues";
    case Ask::Series: return "series";
    case Ask::Kick: return "kick";
    }
    return "connections";
}

std::optional<Ask> askFromName(QStringView n)
{
    for (Ask a : {Ask::Connections, Ask::Queues, Ask::Series, Ask::Kick})
        if (n == QLatin1StringView(askName(a)))
            return a;
    return std::nullopt;
}

void writeDouble(JsonWriter &w, double d)
{
    // 17 significant digits read back as the same double.
    w.raw(QByteArray::number(std::isfinite(d) ? d : 0.0, 'g', 17));
}

void writeOptional(JsonWriter &w, const std::optional<double> &d)
{
    if (d)
        writeDouble(w, *d);
    else
        w.null();
}

// Reads one JSON object's fields, each at most once and of the right type;
// the first problem wins and every later read fails.
class Reader
{
public:
    Reader(const QJsonObject &o, QString &error) : m_o(o), m_error(error) {}

    bool ok() const { return m_error.isEmpty(); }
    // Unknown members are refused: a newer peer's field is not silently lost.
    bool onlyKnown(std::initializer_list<const char *> names)
    {
        for (auto it = m_o.begin(); it != m_o.end(); ++it) {
            bool known = false;
            for (const char *n : names)
                known = known || it.key() == QLatin1StringView(n);
            if (!known)
                return fail(QStringLiteral("unknown field"));
        }
        return ok();
    }
    bool fail(const QString &why)
    {
        if (m_error.isEmpty())
            m_error = why;
        return false;
    }

    QJsonValue need(const char *name)
    {
        const QJsonValue v = m_o.value(QLatin1StringView(name));
        if (v.isUndefined())
            fail(QStringLiteral("missing %1").arg(QLatin1StringView(name)));
        return v;
    }
    qint64 integer(const char *name, qint64 min, qint64 max)
    {
        const QJsonValue v = need(name);
        if (!ok())
            return 0;
        const double d = v.toDouble(std::nan(""));
        if (!v.isDouble() || !std::isfinite(d) || d != std::floor(d) || std::fabs(d) >= kMaxExactInteger
            || d < double(min) || d > double(max)) {
            fail(QStringLiteral("bad %1").arg(QLatin1StringView(name)));
            return 0;
        }
        return qint64(d);
    }
    double number(const char *name)
    {
        const QJsonValue v = need(name);
        const double d = v.toDouble(-1);
        if (ok() && (!v.isDouble() || !(d >= 0 && d <= kMaxRate)))
            fail(QStringLiteral("bad %1").arg(QLatin1StringView(name)));
        return ok() ? d : 0;
    }
    std::optional<double> optionalNumber(const char *name)
    {
        const QJsonValue v = need(name);
        if (ok() && v.isNull())
            return std::nullopt;
        return number(name);
    }
    std::optional<qint64> optionalInteger(const char *name, qint64 min, qint64 max)
    {
        const QJsonValue v = need(name);
        if (ok() && v.isNull())
            return std::nullopt;
        return integer(name, min, max);
    }
    QString text(const char *name, qsizetype min = 0, qsizetype max = kMaxText)
    {
        const QJsonValue v = need(name);
        if (!ok())
            return {};
        if (!v.isString() || v.toString().size() < min || v.toString().size() > max) {
            fail(QStringLiteral("bad %1").arg(QLatin1StringView(name)));
            return {};
        }
        return v.toString();
    }
    bool boolean(const char *name)
    {
        const QJsonValue v = need(name);
        if (ok() && !v.isBool())
            fail(QStringLiteral("bad %1").arg(QLatin1StringView(name)));
        return ok() && v.toBool();
    }
    QJsonArray array(const char *name, qsizetype max)
    {
        const QJsonValue v = need(name);
        if (ok() && (!v.isArray() || v.toArray().size() > max))
            fail(QStringLiteral("bad %1").arg(QLatin1StringView(name)));
        return ok() ? v.toArray() : QJsonArray();
    }
    QJsonObject object(const char *name)
    {
        const QJsonValue v = need(name);
        if (ok() && !v.isObject())
            fail(QStringLiteral("bad %1").arg(QLatin1StringView(name)));
        return ok() ? v.toObject() : QJsonObject();
    }

private:
    const QJsonObject &m_o;
    QString &m_error;
};

std::optional<QJsonObject> topObject(QByteArrayView payload, QString &error)
{
    if (payload.size() > kMaxPayload) {
        error = QStringLiteral("too large");
        return std::nullopt;
    }
    const auto doc = parseClientJson(payload, error);
    if (!doc)
        return std::nullopt;
    if (!doc->isObject()) {
        error = QStringLiteral("not an object");
        return std::nullopt;
    }
    return doc->object();
}

bool finish(bool ok, QString &error, QString *out)
{
    if (!ok && out)
        *out = error;
    return ok;
}

void writeQuery(JsonWriter &w, const ConnectionQuery &q)
{
    w.beginObject().field("user_id", q.userId).field("username", q.usernamePrefix);
    w.field("instance", q.instance).field("address", q.addressPrefix);
    w.key("sort").utf8(sortKeyName(q.sort)).field("desc", q.descending);
    w.field("limit", q.limit).field("offset", q.offset).endObject();
}

ConnectionQuery readQuery(const QJsonObject &o, QString &error)
{
    Reader r(o, error);
    r.onlyKnown({"user_id", "username", "instance", "address", "sort", "desc", "limit", "offset"});
    ConnectionQuery q;
    q.userId = r.integer("user_id", 0, std::numeric_limits<qint64>::max());
    q.usernamePrefix = r.text("username");
    q.instance = r.text("instance");
    q.addressPrefix = r.text("address");
    const QString sort = r.text("sort");
    q.descending = r.boolean("desc");
    q.limit = r.integer("limit", 0, kMaxRows); // an instance is asked for offset+limit
    q.offset = r.integer("offset", 0, kMaxOffset);
    if (r.ok()) {
        const auto key = sortKeyFromName(sort);
        if (!key)
            r.fail(QStringLiteral("bad sort"));
        else
            q.sort = *key;
    }
    return q;
}

void writeRow(JsonWriter &w, const ConnectionRow &c)
{
    w.beginObject().field("id", c.id).field("user_id", c.userId).field("username", c.username);
    w.field("address", c.address).field("opened_at", c.openedAtMs);
    w.field("authenticated", c.authenticated).field("unsent_bytes", c.unsentBytes);
    w.field("instance", c.instance).endObject();
}

constexpr qint64 kMaxInt = qint64(kMaxExactInteger) - 1;

ConnectionRow readRow(const QJsonObject &o, QString &error)
{
    Reader r(o, error);
    r.onlyKnown({"id", "user_id", "username", "address", "opened_at", "authenticated",
                 "unsent_bytes", "instance"});
    ConnectionRow c;
    c.id = r.integer("id", 0, kMaxInt);
    c.userId = r.integer("user_id", 0, kMaxInt);
    c.username = r.text("username");
    c.address = r.text("address");
    c.openedAtMs = r.integer("opened_at", 0, kMaxInt);
    c.authenticated = r.boolean("authenticated");
    c.unsentBytes = r.integer("unsent_bytes", 0, kMaxInt);
    c.instance = r.text("instance", 1);
    return c;
}

void writePoint(JsonWriter &w, const StatsPoint &p)
{
    w.beginObject().field("t", p.second);
    w.key("in");
    writeDouble(w, p.messagesIn);
    w.key("out");
    writeDouble(w, p.messagesOut);
    w.key("p50");
    writeOptional(w, p.ackP50Ms);
    w.key("p95");
    writeOptional(w, p.ackP95Ms);
    w.key("p99");
    writeOptional(w, p.ackP99Ms);
    w.field("c", p.connections);
    w.key("rps");
    writeDouble(w, p.httpRps);
    w.key("err");
    writeDouble(w, p.httpErrorRate);
    w.key("e5");
    writeDouble(w, p.http5xxRate);
    w.field("wb", p.writerBacklog).endObject();
}

StatsPoint readPoint(const QJsonObject &o, QString &error)
{
    Reader r(o, error);
    r.onlyKnown({"t", "in", "out", "p50", "p95", "p99", "c", "rps", "err", "e5", "wb"});
    StatsPoint p;
    p.second = r.integer("t", 0, kMaxInt);
    p.messagesIn = r.number("in");
    p.messagesOut = r.number("out");
    p.ackP50Ms = r.optionalNumber("p50");
    p.ackP95Ms = r.optionalNumber("p95");
    p.ackP99Ms = r.optionalNumber("p99");
    p.connections = r.integer("c", 0, kMaxInt);
    p.httpRps = r.number("rps");
    p.httpErrorRate = r.number("err");
    p.http5xxRate = r.number("e5");
    p.writerBacklog = r.integer("wb", 0, kMaxInt);
    if (r.ok() && (p.httpErrorRate > 1 || p.http5xxRate > p.httpErrorRate))
        r.fail(QStringLiteral("bad rates"));
    return p;
}

} // namespace

QByteArray replyChannel(const QString &instance)
{
    return "sanayicin:admin:replies:" + instance.toUtf8();
}

const char *sortKeyName(SortKey key)
{
    switch (key) {
    case SortKey::Id: return "id";
    case SortKey::OpenedAt: return "opened_at";
    case SortKey::UnsentBytes: return "unsent_bytes";
    case SortKey::Username: return "username";
    case SortKey::Instance: return "instance";
    }
    return "id";
}

std::optional<SortKey> sortKeyFromName(QStringView name)
{
    for (SortKey k : {SortKey::Id, SortKey::OpenedAt, SortKey::UnsentBytes, SortKey::Username,
                      SortKey::Instance})
        if (name == QLatin1StringView(sortKeyName(k)))
            return k;
    return std::nullopt;
}

bool ConnectionQuery::matches(const ConnectionRow &row) const
{
    if (userId && row.userId != userId)
        return false;
    if (!instance.isEmpty() && row.instance != instance)
        return false;
    if (!addressPrefix.isEmpty() && !row.address.startsWith(addressPrefix))
        return false;
    return usernamePrefix.isEmpty() || foldForSearch(row.username).startsWith(usernamePrefix);
}

bool ConnectionQuery::before(const ConnectionRow &a, const ConnectionRow &b) const
{
    int c = 0;
    switch (sort) {
    case SortKey::Id: c = 0; break;
    case SortKey::OpenedAt: c = a.openedAtMs < b.openedAtMs ? -1 : a.openedAtMs > b.openedAtMs; break;
    case SortKey::UnsentBytes:
        c = a.unsentBytes < b.unsentBytes ? -1 : a.unsentBytes > b.unsentBytes;
        break;
    case SortKey::Username: c = a.username.compare(b.username); break;
    case SortKey::Instance: c = 0; break; // the tie-break below is by instance
    }
    if (c == 0 && sort != SortKey::Id)
        c = a.instance.compare(b.instance);
    if (c == 0)
        c = a.id < b.id ? -1 : a.id > b.id;
    if (c == 0 && sort == SortKey::Id)
        c = a.instance.compare(b.instance);
    return descending ? c > 0 : c < 0;
}

QList<ConnectionRow> firstRows(QList<ConnectionRow> all, const ConnectionQuery &query, qint64 &total)
{
    all.removeIf([&query](const ConnectionRow &r) { return !query.matches(r); });
    total = all.size();
    const qsizetype keep = qsizetype(std::min<qint64>(all.size(), query.offset + query.limit));
    auto less = [&query](const ConnectionRow &a, const ConnectionRow &b) { return query.before(a, b); };
    // Only the first offset+limit need ordering: tens of thousands of rows
    // cost a partial sort, not a full one.
    std::partial_sort(all.begin(), all.begin() + keep, all.end(), less);
    all.resize(keep);
    return all;
}

QList<ConnectionRow> mergePage(const QList<QList<ConnectionRow>> &parts, const ConnectionQuery &query)
{
    QList<ConnectionRow> all;
    for (const auto &p : parts)
        all += p;
    auto less = [&query](const ConnectionRow &a, const ConnectionRow &b) { return query.before(a, b); };
    std::sort(all.begin(), all.end(), less);
    QList<ConnectionRow> page;
    for (qint64 i = query.offset; i < all.size() && i < query.offset + query.limit; ++i)
        page << all[qsizetype(i)];
    return page;
}

QByteArray encodeRequest(const Request &q)
{
    QByteArray out;
    JsonWriter w(out);
    w.beginObject().field("id", q.id).field("origin", q.origin).field("target", q.target);
    w.field("deadline_ms", q.deadlineMs).key("ask").utf8(askName(q.ask));
    switch (q.ask) {
    case Ask::Connections:
        w.key("query");
        writeQuery(w, q.connections);
        break;
    case Ask::Queues: break;
    case Ask::Series: w.field("window_s", q.windowS).field("step_s", q.stepS); break;
    case Ask::Kick: w.field("connection_id", q.connectionId); break;
    }
    w.endObject();
    return out;
}

std::optional<Request> decodeRequest(QByteArrayView payload, QString *errorOut)
{
    QString error;
    const auto o = topObject(payload, error);
    if (!o)
        return finish(false, error, errorOut), std::nullopt;
    Reader r(*o, error);
    Request q;
    q.id = r.text("id", 1, 64);
    q.origin = r.text("origin", 1);
    q.target = r.text("target");
    q.deadlineMs = r.integer("deadline_ms", 0, kMaxInt);
    const auto ask = askFromName(r.text("ask"));
    if (r.ok() && !ask)
        r.fail(QStringLiteral("bad ask"));
    if (r.ok()) {
        q.ask = *ask;
        switch (q.ask) {
        case Ask::Connections:
            r.onlyKnown({"id", "origin", "target", "deadline_ms", "ask", "query"});
            if (r.ok())
                q.connections = readQuery(r.object("query"), error);
            break;
        case Ask::Queues: r.onlyKnown({"id", "origin", "target", "deadline_ms", "ask"}); break;
        case Ask::Series:
            r.onlyKnown({"id", "origin", "target", "deadline_ms", "ask", "window_s", "step_s"});
            q.windowS = r.integer("window_s", 1, kMaxPoints);
            q.stepS = r.integer("step_s", 1, kMaxPoints);
            break;
        case Ask::Kick:
            r.onlyKnown({"id", "origin", "target", "deadline_ms", "ask", "connection_id"});
            q.connectionId = r.integer("connection_id", 1, kMaxInt);
            // A kick names the one instance that holds the connection.
            if (r.ok() && q.target.isEmpty())
                r.fail(QStringLiteral("kick without target"));
            break;
        }
    }
    if (!finish(r.ok(), error, errorOut))
        return std::nullopt;
    return q;
}

QByteArray encodeReply(const Reply &a)
{
    QByteArray out;
    JsonWriter w(out);
    w.beginObject().field("id", a.id).field("from", a.from).key("ask").utf8(askName(a.ask));
    switch (a.ask) {
    case Ask::Connections:
        w.field("total", a.total).key("rows").beginArray();
        for (const ConnectionRow &c : a.rows)
            writeRow(w, c);
        w.endArray();
        break;
    case Ask::Queues:
        w.key("queues").beginArray();
        for (const QueueRow &q : a.queues) {
            w.beginObject().field("name", q.name).field("depth", q.depth).key("oldest_age_ms");
            if (q.oldestAgeMs)
                w.value(*q.oldestAgeMs);
            else
                w.null();
            w.endObject();
        }
        w.endArray();
        break;
    case Ask::Series:
        w.key("points").beginArray();
        for (const StatsPoint &p : a.points)
            writePoint(w, p);
        w.endArray();
        break;
    case Ask::Kick: w.field("found", a.found).field("user_id", a.userId); break;
    }
    w.endObject();
    return out;
}

std::optional<Reply> decodeReply(QByteArrayView payload, QString *errorOut)
{
    QString error;
    const auto o = topObject(payload, error);
    if (!o)
        return finish(false, error, errorOut), std::nullopt;
    Reader r(*o, error);
    Reply a;
    a.id = r.text("id", 1, 64);
    a.from = r.text("from", 1);
    const auto ask = askFromName(r.text("ask"));
    if (r.ok() && !ask)
        r.fail(QStringLiteral("bad ask"));
    if (r.ok()) {
        a.ask = *ask;
        switch (a.ask) {
        case Ask::Connections: {
            r.onlyKnown({"id", "from", "ask", "total", "rows"});
            a.total = r.integer("total", 0, kMaxInt);
            const QJsonArray rows = r.array("rows", kMaxRows);
            for (qsizetype i = 0; r.ok() && i < rows.size(); ++i) {
                if (!rows[i].isObject())
                    r.fail(QStringLiteral("bad rows"));
                else
                    a.rows << readRow(rows[i].toObject(), error);
            }
            if (r.ok() && a.total < a.rows.size())
                r.fail(QStringLiteral("total below rows"));
            break;
        }
        case Ask::Queues: {
            r.onlyKnown({"id", "from", "ask", "queues"});
            const QJsonArray queues = r.array("queues", kMaxQueues);
            for (qsizetype i = 0; r.ok() && i < queues.size(); ++i) {
                if (!queues[i].isObject()) {
                    r.fail(QStringLiteral("bad queues"));
                    break;
                }
                const QJsonObject qo = queues[i].toObject();
                Reader qr(qo, error);
                qr.onlyKnown({"name", "depth", "oldest_age_ms"});
                QueueRow row;
                row.name = qr.text("name", 1, 64);
                row.depth = qr.integer("depth", 0, kMaxInt);
                row.oldestAgeMs = qr.optionalInteger("oldest_age_ms", 0, kMaxInt);
                a.queues << row;
            }
            break;
        }
        case Ask::Series: {
            r.onlyKnown({"id", "from", "ask", "points"});
            const QJsonArray points = r.array("points", kMaxPoints);
            for (qsizetype i = 0; r.ok() && i < points.size(); ++i) {
                if (!points[i].isObject())
                    r.fail(QStringLiteral("bad points"));
                else
                    a.points << readPoint(points[i].toObject(), error);
            }
            break;
        }
        case Ask::Kick:
            r.onlyKnown({"id", "from", "ask", "found", "user_id"});
            a.found = r.boolean("found");
            a.userId = r.integer("user_id", 0, kMaxInt);
            break;
        }
    }
    if (!finish(r.ok(), error, errorOut))
        return std::nullopt;
    return a;
}

namespace {

const char *broadcastName(BroadcastKind k)
{
    switch (k) {
    case BroadcastKind::Watch: return "watch";
    case BroadcastKind::Status: return "status";
    case BroadcastKind::Event: return "event";
    case BroadcastKind::Connections: return "connections";
    }
    return "watch";
}

bool isEventType(const QString &t)
{
    return t == u"report_filed" || t == u"report_resolved" || t == u"moderation";
}

// A JSON object re-written compactly, bounded; empty when it is not one.
QByteArray compactObject(const QJsonObject &o)
{
    const QByteArray out = QJsonDocument(o).toJson(QJsonDocument::Compact);
    return out.size() <= kMaxObjectBytes ? out : QByteArray();
}

} // namespace

void writeConnection(JsonWriter &w, const ConnectionRow &c)
{
    w.beginObject().field("id", c.id).field("user_id", c.userId);
    w.field("username", c.username).field("address", c.address);
    w.key("opened_at").utf8(formatRfc3339Ms(c.openedAtMs));
    w.field("authenticated", c.authenticated).field("unsent_bytes", c.unsentBytes);
    w.field("instance", c.instance).endObject();
}

QByteArray encodeBroadcast(const Broadcast &b)
{
    QByteArray out;
    JsonWriter w(out);
    w.beginObject().field("from", b.from).key("kind").utf8(broadcastName(b.kind));
    switch (b.kind) {
    case BroadcastKind::Watch: break;
    case BroadcastKind::Status:
        w.key("summary").raw(b.summary.isEmpty() ? QByteArray("{}") : b.summary).key("point");
        if (b.point)
            writePoint(w, *b.point);
        else
            w.null();
        break;
    case BroadcastKind::Event:
        w.field("type", b.eventType).key("body").raw(b.body.isEmpty() ? QByteArray("{}") : b.body);
        break;
    case BroadcastKind::Connections:
        w.key("opened").beginArray();
        for (const ConnectionRow &c : b.opened)
            writeRow(w, c);
        w.endArray().key("closed").beginArray();
        for (qint64 id : b.closed)
            w.value(id);
        w.endArray().field("reset", b.reset);
        break;
    }
    w.endObject();
    return out;
}

std::optional<Broadcast> decodeBroadcast(QByteArrayView payload, QString *errorOut)
{
    QString error;
    const auto o = topObject(payload, error);
    if (!o)
        return finish(false, error, errorOut), std::nullopt;
    Reader r(*o, error);
    Broadcast b;
    b.from = r.text("from", 1);
    const QString kind = r.text("kind");
    std::optional<BroadcastKind> k;
    for (BroadcastKind each : {BroadcastKind::Watch, BroadcastKind::Status, BroadcastKind::Event,
                               BroadcastKind::Connections})
        if (kind == QLatin1StringView(broadcastName(each)))
            k = each;
    if (r.ok() && !k)
        r.fail(QStringLiteral("bad kind"));
    if (r.ok()) {
        b.kind = *k;
        switch (b.kind) {
        case BroadcastKind::Watch: r.onlyKnown({"from", "kind"}); break;
        case BroadcastKind::Status: {
            r.onlyKnown({"from", "kind", "summary", "point"});
            const QJsonObject summary = r.object("summary");
            if (r.ok() && (!summary.value(QLatin1StringView("id")).isString()
                           || (b.summary = compactObject(summary)).isEmpty()))
                r.fail(QStringLiteral("bad summary"));
            const QJsonValue point = r.need("point");
            if (r.ok() && !point.isNull()) {
                if (point.isObject())
                    b.point = readPoint(point.toObject(), error);
                else
                    r.fail(QStringLiteral("bad point"));
            }
            break;
        }
        case BroadcastKind::Event: {
            r.onlyKnown({"from", "kind", "type", "body"});
            b.eventType = r.text("type");
            if (r.ok() && !isEventType(b.eventType))
                r.fail(QStringLiteral("bad type"));
            const QJsonObject body = r.object("body");
            if (r.ok() && (b.body = compactObject(body)).isEmpty())
                r.fail(QStringLiteral("bad body"));
            break;
        }
        case BroadcastKind::Connections: {
            r.onlyKnown({"from", "kind", "opened", "closed", "reset"});
            const QJsonArray opened = r.array("opened", kMaxRows);
            for (qsizetype i = 0; r.ok() && i < opened.size(); ++i) {
                if (!opened[i].isObject())
                    r.fail(QStringLiteral("bad opened"));
                else
                    b.opened << readRow(opened[i].toObject(), error);
            }
            const QJsonArray closed = r.array("closed", kMaxRows);
            for (qsizetype i = 0; r.ok() && i < closed.size(); ++i) {
                const double d = closed[i].toDouble(-1);
                if (!closed[i].isDouble() || d != std::floor(d) || d < 1 || d > double(kMaxInt))
                    r.fail(QStringLiteral("bad closed"));
                else
                    b.closed << qint64(d);
            }
            b.reset = r.boolean("reset");
            break;
        }
        }
    }
    if (!finish(r.ok(), error, errorOut))
        return std::nullopt;
    return b;
}

} // namespace sanayicin::admin
