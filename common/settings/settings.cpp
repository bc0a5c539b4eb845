#include "settings.h"

#include "text/utf8.h"

#include <QFile>
#include <algorithm>
#include <cmath>

namespace sanayicin {

QString Settings::envName(const QString &optionName)
{
    QString n = optionName.toUpper();
    n.replace(QLatin1Char('-'), QLatin1Char('_'));
    return QStringLiteral("SANAYICIN_") + n;
}

void Settings::addToParser(QCommandLineParser &parser, const QList<OptionSpec> &specs)
{
    parser.addOption(QCommandLineOption(QStringLiteral("config"),
                                        QStringLiteral("Read settings from this INI file."),
                                        QStringLiteral("PATH")));
    for (const OptionSpec &s : specs) {
        QString help = s.help;
        help += QStringLiteral(" [env %1").arg(envName(s.name));
        if (!s.defaultValue.isEmpty())
            help += QStringLiteral(", default %1").arg(s.defaultValue);
        help += QLatin1Char(']');
        if (s.kind == OptionKind::Boolean)
            parser.addOption(QCommandLineOption(s.name, help));
        else
            parser.addOption(QCommandLineOption(s.name, help, s.valueName));
    }
}

namespace {

bool parseBool(const QString &text, bool &out)
{
    const QString t = text.trimmed().toLower();
    if (t == u"1" || t == u"true" || t == u"yes" || t == u"on") {
        out = true;
        return true;
    }
    if (t == u"0" || t == u"false" || t == u"no" || t == u"off" || t.isEmpty()) {
        out = false;
        return true;
    }
    return false;
}

bool check(const OptionSpec &s, const QString &value, const QString &source, QString &error)
{
    switch (s.kind) {
    case OptionKind::String:
        return true;
    case OptionKind::Boolean: {
        bool b;
        if (parseBool(value, b))
            return true;
        error = QStringLiteral("%1 (from %2): expected true or false, got \"%3\"")
                    .arg(s.name, source, value);
        return false;
    }
    case OptionKind::Decimal: {
        // toDouble() takes "inf" and "nan": a rate of NaN would pass every
        // later "<= 0" check and break each bucket it reaches.
        bool ok = false;
        const double v = value.trimmed().toDouble(&ok);
        if (ok && std::isfinite(v) && v >= double(s.min) && (s.max == 0 || v <= double(s.max)))
            return true;
        error = s.max ? QStringLiteral("%1 (from %2): expected a number from %3 to %4, got \"%5\"")
                            .arg(s.name, source)
                            .arg(s.min)
                            .arg(s.max)
                            .arg(value)
                      : QStringLiteral("%1 (from %2): expected a number of at least %3, got \"%4\"")
                            .arg(s.name, source)
                            .arg(s.min)
                            .arg(value);
        return false;
    }
    case OptionKind::Integer: {
        bool ok = false;
        const qint64 v = value.trimmed().toLongLong(&ok);
        if (ok && v >= s.min && (s.max == 0 || v <= s.max))
            return true;
        error = s.max ? QStringLiteral("%1 (from %2): expected a whole number from %3 to %4, "
                                       "got \"%5\"")
                            .arg(s.name, source)
                            .arg(s.min)
                            .arg(s.max)
                            .arg(value)
                      : QStringLiteral("%1 (from %2): expected a whole number of at least %3, "
                                       "got \"%4\"")
                            .arg(s.name, source)
                            .arg(s.min)
                            .arg(value);
        return false;
    }
    }
    return true;
}

} // namespace

std::optional<Settings> Settings::resolve(const QList<OptionSpec> &specs,
                                          const QCommandLineParser &parser,
                                          const QProcessEnvironment &env, QString &error)
{
    QHash<QString, QString> ini;
    QString configPath = parser.value(QStringLiteral("config"));
    if (configPath.isEmpty())
        configPath = env.value(envName(QStringLiteral("config")));
    if (!configPath.isEmpty()) {
        auto read = readIniFile(configPath, error);
        if (!read)
            return std::nullopt;
        ini = std::move(*read);
        for (auto it = ini.cbegin(); it != ini.cend(); ++it) {
            const bool known = std::any_of(specs.cbegin(), specs.cend(),
                                           [&](const OptionSpec &s) { return s.name == it.key(); });
            if (!known) {
                error = QStringLiteral("%1: unknown setting \"%2\"").arg(configPath, it.key());
                return std::nullopt;
            }
        }
    }

    Settings out;
    for (const OptionSpec &s : specs) {
        QString value = s.defaultValue;
        QString source = QStringLiteral("default");
        if (parser.isSet(s.name)) {
            value = s.kind == OptionKind::Boolean ? QStringLiteral("true") : parser.value(s.name);
            source = QStringLiteral("command line");
        } else if (env.contains(envName(s.name))) {
            value = env.value(envName(s.name));
            source = QStringLiteral("environment");
        } else if (ini.contains(s.name)) {
            value = ini.value(s.name);
            source = QStringLiteral("config file");
        }
        if (!check(s, value, source, error))
            return std::nullopt;
        out.m_values.insert(s.name, value);
        out.m_sources.insert(s.name, source);
    }
    return out;
}

QString Settings::string(const QString &name) const
{
    Q_ASSERT(m_values.contains(name));
    return m_values.value(name);
}

qint64 Settings::integer(const QString &name) const
{
    return string(name).trimmed().toLongLong();
}

double Settings::decimal(const QString &name) const
{
    return string(name).trimmed().toDouble();
}

bool Settings::boolean(const QString &name) const
{
    bool b = false;
    parseBool(string(name), b);
    return b;
}

QString Settings::sourceOf(const QString &name) const
{
    return m_sources.value(name);
}

void Settings::set(const QString &name, const QString &value)
{
    m_values.insert(name, value);
    m_sources.insert(name, QStringLiteral("program"));
}

std::optional<QHash<QString, QString>> readIniFile(const QString &path, QString &error)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) {
        error = QStringLiteral("cannot read config file %1: %2").arg(path, f.errorString());
        return std::nullopt;
    }
    return parseIni(f.readAll(), path, error);
}

namespace {

// Setting and section names: what an option can be called (an empty
// section, "[]", is the daemon's own).
bool isName(QStringView s)
{
    return std::all_of(s.begin(), s.end(), [](QChar c) {
        const char16_t u = c.unicode();
        return (u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z') || (u >= '0' && u <= '9')
               || u == '-' || u == '_' || u == '.';
    });
}

} // namespace

std::optional<QHash<QString, QString>> parseIni(QByteArrayView text, const QString &path,
                                                QString &error)
{
    if (text.startsWith("\xEF\xBB\xBF")) // an editor's byte order mark
        text = text.sliced(3);
    if (!isValidUtf8(text)) {
        error = QStringLiteral("%1: not UTF-8 text").arg(path);
        return std::nullopt;
    }
    QHash<QString, QString> out;
    QString section;
    int lineNo = 0;
    for (qsizetype from = 0; from <= text.size();) {
        qsizetype end = text.indexOf('\n', from);
        if (end < 0)
            end = text.size();
        const QString line = QString::fromUtf8(text.sliced(from, end - from)).trimmed();
        from = end + 1;
        ++lineNo;
        if (line.isEmpty() || line.startsWith(QLatin1Char('#')) || line.startsWith(QLatin1Char(';')))
            continue;
        // A stray CR (old Mac line ends), NUL or escape sequence means a
        // damaged file; none belongs in a setting.
        if (std::any_of(line.cbegin(), line.cend(),
                        [](QChar c) { return c.unicode() < 0x20 && c != u'\t'; })) {
            error = QStringLiteral("%1:%2: control character in the line").arg(path).arg(lineNo);
            return std::nullopt;
        }
        if (line.startsWith(QLatin1Char('[')) && line.endsWith(QLatin1Char(']'))) {
            section = line.mid(1, line.size() - 2).trimmed();
            if (!isName(section)) {
                error = QStringLiteral("%1:%2: a section name is letters, digits, '-', '_' and '.'")
                            .arg(path)
                            .arg(lineNo);
                return std::nullopt;
            }
            // [sanayicind] (or none) holds the daemon's own settings.
            if (section == u"sanayicind" || section == u"General")
                section.clear();
            continue;
        }
        const qsizetype eq = line.indexOf(QLatin1Char('='));
        if (eq <= 0) {
            error = QStringLiteral("%1:%2: expected key = value").arg(path).arg(lineNo);
            return std::nullopt;
        }
        QString key = line.left(eq).trimmed();
        if (!isName(key)) {
            error = QStringLiteral("%1:%2: a setting name is letters, digits, '-', '_' and '.'")
                        .arg(path)
                        .arg(lineNo);
            return std::nullopt;
        }
        QString value = line.mid(eq + 1).trimmed();
        if (value.size() >= 2 && value.startsWith(QLatin1Char('"')) && value.endsWith(QLatin1Char('"')))
            value = value.mid(1, value.size() - 2);
        if (!section.isEmpty())
            key = section + QLatin1Char('.') + key;
        out.insert(key, value);
    }
    return out;
}

} // namespace sanayicin
