#include "settings.h"

#include <QFile>

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
    if (!f.open(QIODevice::ReadOnly | QIODevice::Text)) {
        error = QStringLiteral("cannot read config file %1: %2").arg(path, f.errorString());
        return std::nullopt;
    }
    QHash<QString, QString> out;
    QString section;
    int lineNo = 0;
    while (!f.atEnd()) {
        ++lineNo;
        const QString line = QString::fromUtf8(f.readLine()).trimmed();
        if (line.isEmpty() || line.startsWith(QLatin1Char('#')) || line.startsWith(QLatin1Char(';')))
            continue;
        if (line.startsWith(QLatin1Char('[')) && line.endsWith(QLatin1Char(']'))) {
            section = line.mid(1, line.size() - 2).trimmed();
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
