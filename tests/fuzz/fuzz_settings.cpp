// Settings on any text: parseIni (what an INI file holds) and resolve (the
// command line and the environment over the defaults). A parsed INI gives
// trimmed, non-empty keys and values without control characters (tab
// aside), and written back as INI reads back the same; a resolved setting always has a value of its
// type within its range, from the place with the highest precedence.

#include "settings/settings.h"

#include <fuzzer/FuzzedDataProvider.h>

#include <QCommandLineParser>
#include <algorithm>
#include <cmath>
#include <cstdint>

namespace {

using namespace sanayicin;
using namespace Qt::StringLiterals;

void check(bool ok)
{
    if (!ok)
        __builtin_trap();
}

const QList<OptionSpec> &specs()
{
    static const QList<OptionSpec> s{
        {u"name"_s, u"TEXT"_s, u"x"_s, u"text"_s, OptionKind::String},
        {u"count"_s, u"N"_s, u"4"_s, u"bounded"_s, OptionKind::Integer, 1, 64},
        {u"size"_s, u"N"_s, u"1000"_s, u"unbounded"_s, OptionKind::Integer, -5, 0},
        {u"rate"_s, u"N"_s, u"2.5"_s, u"decimal"_s, OptionKind::Decimal, 0, 0},
        {u"share"_s, u"N"_s, u"0.5"_s, u"bounded decimal"_s, OptionKind::Decimal, 0, 1},
        {u"flag"_s, QString(), QString(), u"boolean"_s, OptionKind::Boolean},
    };
    return s;
}

void ini(const QByteArray &text)
{
    QString error;
    const auto parsed = parseIni(text, u"f.ini"_s, error);
    if (!parsed) {
        check(error.startsWith(u"f.ini"_s));
        return;
    }
    QByteArray written;
    for (auto it = parsed->cbegin(); it != parsed->cend(); ++it) {
        const QString &k = it.key();
        auto noControls = [](const QString &t) {
            return std::none_of(t.cbegin(), t.cend(), [](QChar c) { return c.unicode() < 0x20 && c != u'\t'; });
        };
        check(!k.isEmpty() && k == k.trimmed() && noControls(k) && noControls(*it));
        check(std::all_of(k.cbegin(), k.cend(), [](QChar c) {
            return c.isLetterOrNumber() || c == u'-' || c == u'_' || c == u'.';
        }));
        written += k.toUtf8() + " = \"" + it->toUtf8() + "\"\n";
    }
    const auto again = parseIni(written, u"g.ini"_s, error);
    check(bool(again));
    for (auto it = again->cbegin(); it != again->cend(); ++it)
        check(parsed->value(it.key()) == *it);
}

void resolve(FuzzedDataProvider &in)
{
    QStringList args{u"sanayicind"_s};
    QProcessEnvironment env;
    const int n = in.ConsumeIntegralInRange(0, 8);
    for (int i = 0; i < n; ++i) {
        const OptionSpec &s = specs()[in.ConsumeIntegralInRange<qsizetype>(0, specs().size() - 1)];
        const QString value = QString::fromStdString(in.ConsumeRandomLengthString(24));
        if (in.ConsumeBool()) {
            args << u"--"_s + s.name;
            if (s.kind != OptionKind::Boolean)
                args << value;
        } else {
            env.insert(Settings::envName(s.name), value);
        }
    }
    QCommandLineParser parser;
    Settings::addToParser(parser, specs());
    if (!parser.parse(args))
        return;
    QString error;
    const auto settings = Settings::resolve(specs(), parser, env, error);
    if (!settings) {
        check(!error.isEmpty());
        return;
    }
    for (const OptionSpec &s : specs()) {
        const QString source = settings->sourceOf(s.name);
        if (parser.isSet(s.name))
            check(source == u"command line");
        else if (env.contains(Settings::envName(s.name)))
            check(source == u"environment");
        else
            check(source == u"default" && settings->string(s.name) == s.defaultValue);
        bool ok = false;
        switch (s.kind) {
        case OptionKind::Integer: {
            const qint64 v = settings->string(s.name).trimmed().toLongLong(&ok);
            check(ok && v == settings->integer(s.name) && v >= s.min && (s.max == 0 || v <= s.max));
            break;
        }
        case OptionKind::Decimal: {
            const double v = settings->decimal(s.name);
            settings->string(s.name).trimmed().toDouble(&ok);
            check(ok && std::isfinite(v) && v >= double(s.min) && (s.max == 0 || v <= double(s.max)));
            break;
        }
        case OptionKind::Boolean:
            check(!parser.isSet(s.name) || settings->boolean(s.name)); // else the environment decides
            break;
        case OptionKind::String:
            break;
        }
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    if (data[0] & 1) {
        ini(QByteArray(reinterpret_cast<const char *>(data + 1), qsizetype(size - 1)));
    } else {
        FuzzedDataProvider in(data + 1, size - 1);
        resolve(in);
    }
    return 0;
}
