#include "token_store.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QStandardPaths>
#include <qt6keychain/keychain.h>

using namespace Qt::StringLiterals;

namespace sanayicin::console {

namespace {

const QString kService = u"sanayicin-console"_s;

// "username\ntoken": one secret per server.
QByteArray pack(const QString &username, const QString &token)
{
    return username.toUtf8() + '\n' + token.toUtf8();
}

void unpack(const QByteArray &value, QString &username, QString &token)
{
    const qsizetype nl = value.indexOf('\n');
    if (nl < 0)
        return;
    username = QString::fromUtf8(value.left(nl));
    token = QString::fromUtf8(value.mid(nl + 1)).trimmed();
}

} // namespace

TokenStore::TokenStore(QObject *parent) : QObject(parent)
{
    m_keyringEnabled = qEnvironmentVariable("SANAYICIN_CONSOLE_KEYRING", u"1"_s) != u"0"_s;
    m_folder = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) + u"/tokens"_s;
}

QString TokenStore::filePath(const QString &server) const
{
    const QByteArray hash = QCryptographicHash::hash(server.toUtf8(), QCryptographicHash::Sha256).toHex().left(16);
    return m_folder + u'/' + QString::fromLatin1(hash) + u".token"_s;
}

QString TokenStore::describe(Place place, const QString &path)
{
    switch (place) {
    case Keyring:
        return tr("The token is kept in the system keyring.");
    case File:
        return tr("No keyring is available: the token is kept in %1, readable only by you.").arg(path);
    case Nowhere:
        break;
    }
    return tr("The token is kept in memory only, until the program ends.");
}

bool TokenStore::saveFile(const QString &server, const QByteArray &value, QString &error) const
{
    if (!QDir().mkpath(m_folder)
        || !QFile::setPermissions(m_folder, QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner)) {
        error = tr("cannot create %1").arg(m_folder);
        return false;
    }
    QFile f(filePath(server));
    // The permissions are set while the file is still empty, before the
    // token is written into it.
    if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate)
        || !f.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner) || f.write(value) != value.size()
        || !f.flush()) {
        error = f.errorString();
        return false;
    }
    return true;
}

QByteArray TokenStore::loadFile(const QString &server) const
{
    QFile f(filePath(server));
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return f.read(4096);
}

void TokenStore::save(const QString &server, const QString &username, const QString &token,
                      std::function<void(Place, const QString &)> done)
{
    const QByteArray value = pack(username, token);
    if (!m_keyringEnabled) {
        QString error;
        const bool ok = saveFile(server, value, error);
        done(ok ? File : Nowhere, error);
        return;
    }
    auto *job = new QKeychain::WritePasswordJob(kService, this);
    job->setKey(server);
    job->setBinaryData(value);
    connect(job, &QKeychain::Job::finished, this, [this, server, value, job, done](QKeychain::Job *) {
        if (job->error() == QKeychain::NoError) {
            QFile::remove(filePath(server)); // a file kept before is no longer needed
            done(Keyring, {});
            return;
        }
        QString error;
        const bool ok = saveFile(server, value, error);
        done(ok ? File : Nowhere, error);
    });
    job->start();
}

void TokenStore::load(const QString &server, std::function<void(const QString &, const QString &)> done)
{
    auto fromFile = [this, server, done] {
        QString username, token;
        unpack(loadFile(server), username, token);
        done(username, token);
    };
    if (!m_keyringEnabled) {
        fromFile();
        return;
    }
    auto *job = new QKeychain::ReadPasswordJob(kService, this);
    job->setKey(server);
    connect(job, &QKeychain::Job::finished, this, [job, done, fromFile](QKeychain::Job *) {
        if (job->error() != QKeychain::NoError) {
            fromFile();
            return;
        }
        QString username, token;
        unpack(job->binaryData(), username, token);
        done(username, token);
    });
    job->start();
}

void TokenStore::forget(const QString &server)
{
    QFile::remove(filePath(server));
    if (!m_keyringEnabled)
        return;
    auto *job = new QKeychain::DeletePasswordJob(kService, this);
    job->setKey(server);
    job->start();
}

} // namespace sanayicin::console
