#pragma once

#include <QObject>
#include <QString>
#include <QTranslator>

namespace sanayicin::console {

// The console's language: "tr" or "en", from the setting, else the system
// locale (Turkish for a Turkish locale, English otherwise). Switching
// installs the new translators at once; every open window gets
// QEvent::LanguageChange and retranslates itself.
class Language : public QObject
{
    Q_OBJECT
public:
    explicit Language(QObject *parent = nullptr) : QObject(parent) {}

    static QStringList available() { return {QStringLiteral("tr"), QStringLiteral("en")}; }
    static QString systemDefault();
    // Installs the translators of `code` ("tr" or "en"); false for another.
    bool apply(const QString &code);
    QString current() const { return m_current; }

Q_SIGNALS:
    void changed(const QString &code);

private:
    QTranslator m_own;
    QTranslator m_qt;
    QString m_current;
};

} // namespace sanayicin::console
