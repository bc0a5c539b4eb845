#pragma once

#include <QByteArrayView>
#include <QList>
#include <QString>
#include <optional>
#include <utility>

namespace sanayicin {

// A query string as browsers, curl and Python's requests send it
// (application/x-www-form-urlencoded): name=value pairs separated by '&',
// '+' for a space, %XX for any byte, names and values UTF-8 without U+0000.
// "%2B" stays a plus. Empty pairs are skipped; a pair without '=' has an
// empty value.
class QueryString
{
public:
    // nullopt for a broken escape, text that is not UTF-8, or U+0000.
    static std::optional<QueryString> parse(QByteArrayView encoded);
    // Decodes one name or value; nullopt as above.
    static std::optional<QString> decode(QByteArrayView component);

    bool contains(QLatin1StringView name) const;
    QString value(QLatin1StringView name) const; // the first one; empty when absent
    const QList<std::pair<QString, QString>> &items() const { return m_items; }

private:
    QList<std::pair<QString, QString>> m_items;
};

} // namespace sanayicin
