#pragma once

#include <QCoreApplication>
#include <QObject>
#include <QString>
#include <functional>

namespace sanayicin::console {

// Where a remembered token is kept: the system keyring when there is one
// (Qt6Keychain: Secret Service, KWallet), else a file only its owner may
// read (0600 in a 0700 folder). Without "remember me" nothing is stored.
class TokenStore : public QObject
{
    Q_OBJECT
public:
    enum Place { Nowhere, Keyring, File };

    explicit TokenStore(QObject *parent = nullptr);

    // Tests and machines without a keyring service skip it (setting
    // "keyring", SANAYICIN_CONSOLE_KEYRING=0).
    void setKeyringEnabled(bool enabled) { m_keyringEnabled = enabled; }
    // The folder of the token files (default: the application data folder).
    void setFolder(const QString &folder) { m_folder = folder; }
    QString filePath(const QString &server) const;

    void save(const QString &server, const QString &username, const QString &token,
              std::function<void(Place, const QString &error)> done);
    // The token and its username; empty when none is kept.
    void load(const QString &server, std::function<void(const QString &username, const QString &token)> done);
    void forget(const QString &server);

    static QString describe(Place place, const QString &path);

private:
    bool saveFile(const QString &server, const QByteArray &value, QString &error) const;
    QByteArray loadFile(const QString &server) const;

    bool m_keyringEnabled = true;
    QString m_folder;
};

} // namespace sanayicin::console
