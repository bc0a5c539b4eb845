#pragma once

#include <QCommandLineParser>
#include <QHash>
#include <QList>
#include <QProcessEnvironment>
#include <QString>
#include <optional>

namespace sanayicin {

enum class OptionKind { String, Integer, Decimal, Boolean };

// One setting, reachable as --name on the command line, SANAYICIN_NAME in the
// environment (dashes become underscores) and `name = value` in the INI file.
struct OptionSpec
{
    QString name;
    QString valueName; // shown in --help; empty for a Boolean flag
    QString defaultValue;
    QString help;
    OptionKind kind = OptionKind::String;
    qint64 min = 0;
    qint64 max = 0; // Integer and Decimal; max == 0 means no upper bound
};

// Resolved settings: command line, then environment, then INI file, then the
// default, in that order of precedence. Values are type-checked on resolve so
// that a typo stops the program with a clear message instead of a surprise.
class Settings
{
public:
    static QString envName(const QString &optionName);

    // Adds one QCommandLineOption per spec (and --config) to `parser`.
    static void addToParser(QCommandLineParser &parser, const QList<OptionSpec> &specs);

    // After parser.process(): resolves every spec. On failure returns nullopt
    // and sets `error`.
    static std::optional<Settings> resolve(const QList<OptionSpec> &specs,
                                           const QCommandLineParser &parser,
                                           const QProcessEnvironment &env, QString &error);

    QString string(const QString &name) const;
    qint64 integer(const QString &name) const;
    double decimal(const QString &name) const; // finite, checked on resolve
    bool boolean(const QString &name) const;
    // "command line", "environment", "config file" or "default".
    QString sourceOf(const QString &name) const;

    void set(const QString &name, const QString &value); // for tests and subcommands

private:
    QHash<QString, QString> m_values;
    QHash<QString, QString> m_sources;
};

// Parses `key = value` lines; `#` and `;` start comments; [sections] prefix
// keys as "section.key" ([sanayicind] and [General] none); one pair of
// double quotes around a value is dropped; a UTF-8 byte order mark at the
// start is skipped. Returns nullopt and sets `error` (naming `path` and the
// line) when a line is none of these, holds a control character other than
// tab, names a setting or section with anything but [A-Za-z0-9._-], or the
// text is not UTF-8.
std::optional<QHash<QString, QString>> parseIni(QByteArrayView text, const QString &path,
                                                QString &error);
// parseIni of a file's contents; nullopt and `error` when it cannot be read.
std::optional<QHash<QString, QString>> readIniFile(const QString &path, QString &error);

} // namespace sanayicin
