// DatabaseUrl::parse on any text. Properties:
// - a refusal always says why, and never quotes a password;
// - an accepted PostgreSQL URL renders (toString) to text that parses back
//   to equal fields;
// - redacted() carries nothing of the secrets (it is the same whatever the
//   password and sslpassword are) and parses back to the same place;
// - libpq (the reference, PQconninfoParse) reads our canonical URL and the
//   key=value string QPSQL builds from our fields to the same hosts, ports,
//   user, password, database and options; and where libpq also accepts the
//   raw input, it reads the same hosts, ports, user, password and database.

#include "storage/database_url.h"

#include <QHash>
#include <QStringList>
#include <cstdint>
#include <libpq-fe.h>
#include <memory>

using sanayicin::DatabaseUrl;
using sanayicin::Dialect;

namespace {

[[noreturn]] void fail(const char *why, const QString &detail)
{
    fprintf(stderr, "fuzz_database_url: %s: %s\n", why, qPrintable(detail));
    __builtin_trap();
}

// libpq's reading: keyword -> value; nullopt when it refuses.
std::optional<QHash<QString, QString>> libpq(const QByteArray &conninfo)
{
    char *err = nullptr;
    std::unique_ptr<PQconninfoOption, void (*)(PQconninfoOption *)> opts(
        PQconninfoParse(conninfo.constData(), &err), PQconninfoFree);
    PQfreemem(err);
    if (!opts)
        return std::nullopt;
    QHash<QString, QString> out;
    for (PQconninfoOption *o = opts.get(); o->keyword; ++o)
        if (o->val)
            out.insert(QString::fromLatin1(o->keyword), QString::fromUtf8(o->val));
    return out;
}

QString quoted(QString s)
{
    s.replace(u'\\', QStringLiteral("\\\\")).replace(u'\'', QStringLiteral("\\'"));
    return u'\'' + s + u'\'';
}

// libpq's port list as numbers per host: one for all, or one per host; an
// empty entry or none at all is 5432.
QString portsPerHost(const QString &ports, qsizetype hosts)
{
    QStringList list = ports.split(u',');
    if (list.size() == 1)
        list = QStringList(hosts, list[0]);
    for (QString &p : list)
        p = p.isEmpty() ? QStringLiteral("5432") : QString::number(p.toInt());
    return list.join(u',');
}

void checkAgainstLibpq(const DatabaseUrl &u, const QHash<QString, QString> &l, bool canonical,
                       const QString &context)
{
    const bool defaultHost = u.hosts.size() == 1 && u.hosts[0].name.isEmpty();
    if (l.value(QStringLiteral("host")) != (defaultHost ? QString() : u.hostList()))
        fail("libpq reads other hosts", context);
    const QString ports = portsPerHost(l.value(QStringLiteral("port")), u.hosts.size());
    if (ports != u.portList())
        fail("libpq reads other ports", context + QStringLiteral(" libpq: ") + l.value(QStringLiteral("port")));
    if (l.value(QStringLiteral("user")) != u.user || l.value(QStringLiteral("password")) != u.password
        || l.value(QStringLiteral("dbname")) != u.database)
        fail("libpq reads another user, password or database", context);
    if (canonical)
        for (const auto &[k, v] : u.options)
            if (l.value(k) != v)
                fail("libpq reads another option value", context + u' ' + k);
}

void checkAccepted(const DatabaseUrl &u, const QString &input)
{
    // Round trip through the canonical form.
    const QString text = u.toString();
    QString error;
    const auto again = DatabaseUrl::parse(text, QStringLiteral("/data"), error);
    if (!again)
        fail("the canonical form is refused", text + QStringLiteral(" -> ") + error);
    if (!(*again == u))
        fail("the canonical form reads back differently", text);

    // redacted(): independent of the secrets, and back to the same place.
    DatabaseUrl other = u;
    other.password = QStringLiteral("another-secret");
    for (auto &[k, v] : other.options)
        if (k == u"sslpassword")
            v = QStringLiteral("another-secret");
    const QString redacted = u.redacted();
    if (other.redacted() != redacted)
        fail("redacted() depends on a secret", redacted);
    const auto back = DatabaseUrl::parse(redacted, QStringLiteral("/data"), error);
    if (!back)
        fail("redacted() is refused", redacted + QStringLiteral(" -> ") + error);
    if (!back->password.isEmpty() || back->hosts != u.hosts || back->user != u.user
        || back->database != u.database)
        fail("redacted() reads back elsewhere", redacted);
    for (const auto &[k, v] : back->options)
        if (k == u"sslpassword")
            fail("redacted() keeps sslpassword", redacted);

    // The reference: libpq on our canonical URL, on what QPSQL 6.4 writes
    // from our fields, and on the raw input where it takes it.
    const auto fromUri = libpq(text.toUtf8());
    if (!fromUri)
        fail("libpq refuses the canonical form", text);
    checkAgainstLibpq(u, *fromUri, true, text);
    QString conninfo;
    if (!u.hostList().isEmpty())
        conninfo += QStringLiteral("host=") + quoted(u.hostList());
    conninfo += QStringLiteral(" dbname=") + quoted(u.database);
    if (!u.user.isEmpty())
        conninfo += QStringLiteral(" user=") + quoted(u.user);
    if (!u.password.isEmpty())
        conninfo += QStringLiteral(" password=") + quoted(u.password);
    conninfo += u' ' + u.qpsqlOptions().replace(u';', u' ');
    const auto fromConninfo = libpq(conninfo.toUtf8());
    if (!fromConninfo)
        fail("libpq refuses the connection string", u.redacted());
    checkAgainstLibpq(u, *fromConninfo, true, u.redacted());
    if (const auto raw = libpq(input.toUtf8()))
        checkAgainstLibpq(u, *raw, false, input);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 2048)
        return 0;
    const QString input = QString::fromUtf8(reinterpret_cast<const char *>(data), qsizetype(size));
    // libpq reads C strings.
    if (input.contains(QChar(0)))
        return 0;
    QString error;
    const auto u = DatabaseUrl::parse(input, QStringLiteral("/data"), error);
    if (!u && error.isEmpty())
        fail("a refusal without a reason", input);
    if (u && u->dialect == Dialect::Postgres)
        checkAccepted(*u, input);

    // A known password in front of the fuzzed rest: it never shows in an
    // error or in redacted().
    static const QString marker = QStringLiteral("Zq8vMarkerPw");
    if (input.contains(QStringLiteral("Marker")))
        return 0;
    const QString marked = QStringLiteral("postgresql://fuzzuser:") + marker + u'@' + input;
    const auto m = DatabaseUrl::parse(marked, QStringLiteral("/data"), error);
    if (!m && error.contains(marker))
        fail("an error quotes the password", error);
    if (m && m->redacted().contains(marker))
        fail("redacted() shows the password", m->redacted());
    if (m)
        checkAccepted(*m, marked);
    return 0;
}
