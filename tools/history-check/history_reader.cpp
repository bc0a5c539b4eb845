#include "history_reader.h"

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonParseError>

#include <cmath>

namespace sanayicin::historycheck {

namespace {

constexpr qsizetype kMaxLine = 64 * 1024; // a line is a few hundred bytes

class Fields
{
public:
    explicit Fields(const QJsonObject &o) : m_o(o) {}

    bool integer(const char *key, qint64 &out)
    {
        const QJsonValue v = m_o.value(QLatin1StringView(key));
        if (!v.isDouble())
            return fail(key, "an integer");
        // Integers are kept exactly (Qt 6 stores a JSON integer as qint64);
        // anything with a fraction or out of range is refused.
        const QVariant var = v.toVariant();
        if (var.typeId() == QMetaType::LongLong) {
            out = var.toLongLong();
            return true;
        }
        const double d = v.toDouble();
        if (std::isfinite(d) && d == std::floor(d) && std::fabs(d) < 9007199254740992.0) {
            out = qint64(d);
            return true;
        }
        return fail(key, "an integer");
    }
    bool nonNegative(const char *key, qint64 &out)
    {
        if (!integer(key, out))
            return false;
        return out >= 0 || fail(key, "an integer >= 0");
    }
    bool positive(const char *key, qint64 &out)
    {
        if (!integer(key, out))
            return false;
        return out > 0 || fail(key, "an integer > 0");
    }
    bool boolean(const char *key, bool &out)
    {
        const QJsonValue v = m_o.value(QLatin1StringView(key));
        if (!v.isBool())
            return fail(key, "true or false");
        out = v.toBool();
        return true;
    }
    bool string(const char *key, QString &out, bool mayBeEmpty = true)
    {
        const QJsonValue v = m_o.value(QLatin1StringView(key));
        if (!v.isString())
            return fail(key, "a string");
        out = v.toString();
        return mayBeEmpty || !out.isEmpty() || fail(key, "a non-empty string");
    }
    bool optionalBoolean(const char *key, bool &out)
    {
        return !m_o.contains(QLatin1StringView(key)) || boolean(key, out);
    }
    QString error;

private:
    bool fail(const char *key, const char *what)
    {
        error = QStringLiteral("\"%1\" must be %2").arg(QLatin1StringView(key), QLatin1StringView(what));
        return false;
    }
    const QJsonObject &m_o;
};

} // namespace

bool parseEventLine(const QByteArray &line, Event &out, QString &error)
{
    out = Event{};
    if (line.size() > kMaxLine) {
        error = QStringLiteral("line longer than %1 bytes").arg(kMaxLine);
        return false;
    }
    QJsonParseError pe{};
    const QJsonDocument doc = QJsonDocument::fromJson(line, &pe);
    if (pe.error != QJsonParseError::NoError) {
        error = QStringLiteral("not JSON (%1 at byte %2)").arg(pe.errorString()).arg(pe.offset);
        return false;
    }
    if (!doc.isObject()) {
        error = QStringLiteral("not a JSON object");
        return false;
    }
    const QJsonObject o = doc.object();
    Fields f(o);
    QString ev;
    if (!f.string("ev", ev, false) || !f.nonNegative("t", out.t)) {
        error = f.error;
        return false;
    }
    using K = Event::Kind;
    bool ok = true;
    if (ev == u"run") {
        out.kind = K::Run;
    } else if (ev == u"end") {
        out.kind = K::End;
    } else if (ev == u"conv") {
        out.kind = K::Conv;
        ok = f.positive("conv", out.conv) && f.positive("u1", out.u1) && f.positive("u2", out.u2);
    } else if (ev == u"conn") {
        out.kind = K::Conn;
        ok = f.nonNegative("c", out.c) && f.positive("uid", out.uid);
    } else if (ev == u"open") {
        out.kind = K::Open;
        ok = f.nonNegative("c", out.c) && f.positive("uid", out.uid) && f.nonNegative("last", out.last)
             && f.boolean("re", out.re);
    } else if (ev == u"lost" || ev == u"close") {
        out.kind = ev == u"lost" ? K::Lost : K::Close;
        ok = f.nonNegative("c", out.c) && f.integer("code", out.code);
        if (ok && out.kind == K::Close)
            ok = f.optionalBoolean("churn", out.churn);
    } else if (ev == u"send") {
        out.kind = K::Send;
        ok = f.nonNegative("c", out.c) && f.positive("conv", out.conv) && f.string("cmid", out.cmid, false);
    } else if (ev == u"ack") {
        out.kind = K::Ack;
        ok = f.nonNegative("c", out.c) && f.string("cmid", out.cmid, false) && f.positive("conv", out.conv)
             && f.positive("id", out.id) && f.positive("seq", out.seq);
    } else if (ev == u"error") {
        out.kind = K::Error;
        ok = f.nonNegative("c", out.c) && f.string("code", out.errorCode, false) && f.string("ref", out.ref);
    } else if (ev == u"msg") {
        out.kind = K::Msg;
        QString via;
        ok = f.nonNegative("c", out.c) && f.positive("conv", out.conv) && f.positive("id", out.id)
             && f.positive("seq", out.seq) && f.nonNegative("sender", out.sender) && f.string("cmid", out.cmid)
             && f.string("via", via);
        if (ok && via != u"live" && via != u"sync") {
            f.error = QStringLiteral("\"via\" must be \"live\" or \"sync\"");
            ok = false;
        }
        out.viaSync = via == u"sync";
    } else if (ev == u"sync") {
        out.kind = K::Sync;
        ok = f.nonNegative("c", out.c) && f.nonNegative("after", out.after) && f.optionalBoolean("final", out.final);
    } else if (ev == u"synced") {
        out.kind = K::Synced;
        ok = f.nonNegative("c", out.c) && f.nonNegative("last", out.last) && f.boolean("more", out.more);
    } else if (ev == u"fault") {
        out.kind = K::Fault;
        QString phase;
        ok = f.string("name", out.name, false) && f.string("phase", phase, false);
        if (ok && phase != u"start" && phase != u"end") {
            f.error = QStringLiteral("\"phase\" must be \"start\" or \"end\"");
            ok = false;
        }
        out.faultStart = phase == u"start";
    } else {
        error = QStringLiteral("unknown event \"%1\"").arg(ev.left(40));
        return false;
    }
    if (!ok)
        error = QStringLiteral("%1 event: %2").arg(ev, f.error);
    return ok;
}

bool readHistoryFile(const QString &path, const std::function<void(const Event &)> &sink, QString &error,
                     qint64 *lines)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        error = QStringLiteral("%1: %2").arg(path, file.errorString());
        return false;
    }
    qint64 n = 0;
    Event e;
    QString why;
    while (!file.atEnd()) {
        QByteArray line = file.readLine(kMaxLine + 2);
        ++n;
        const bool complete = line.endsWith('\n');
        if (complete)
            line.chop(1);
        else if (!file.atEnd()) {
            error = QStringLiteral("%1:%2: line longer than %3 bytes").arg(path).arg(n).arg(kMaxLine);
            return false;
        }
        if (line.trimmed().isEmpty())
            continue;
        if (!complete) {
            error = QStringLiteral("%1:%2: the last line is cut (no newline): was the writer killed?").arg(path).arg(n);
            return false;
        }
        if (!parseEventLine(line, e, why)) {
            error = QStringLiteral("%1:%2: %3").arg(path).arg(n).arg(why);
            return false;
        }
        e.where = QStringLiteral("%1:%2").arg(path).arg(n);
        sink(e);
    }
    if (lines)
        *lines = n;
    return true;
}

} // namespace sanayicin::historycheck
