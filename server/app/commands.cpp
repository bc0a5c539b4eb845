#include "commands.h"

#include "auth/password_hasher.h"
#include "chat/accounts.h"
#include "protocol/limits.h"
#include "storage/db.h"
#include "storage/migrator.h"
#include "text/text_rules.h"
#include "time/clock.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QTextStream>

namespace sanayicin {

namespace {

QTextStream &err()
{
    static QTextStream s(stderr);
    return s;
}

std::unique_ptr<Db> openMigrated(const DaemonConfig &config)
{
    if (config.database.dialect == Dialect::Sqlite)
        QDir().mkpath(QFileInfo(config.database.sqlitePath).absolutePath());
    QString error;
    std::unique_ptr<Db> db = Db::connect(config.database, QStringLiteral("cli"), error);
    if (!db) {
        err() << "sanayicind: " << error << Qt::endl;
        return nullptr;
    }
    Migrator migrator(*db);
    int applied = 0;
    if (!migrator.migrate(applied, error)) {
        err() << "sanayicind: " << error << Qt::endl;
        return nullptr;
    }
    return db;
}

} // namespace

int runMigrate(const DaemonConfig &config)
{
    std::unique_ptr<Db> db = openMigrated(config);
    if (!db)
        return 1;
    Migrator migrator(*db);
    QTextStream(stdout) << "schema is at version " << migrator.currentVersion() << " ("
                        << config.database.redacted() << ")" << Qt::endl;
    return 0;
}

int runUserCreate(const DaemonConfig &config, const QString &username,
                  const QString &passwordFile, bool admin)
{
    if (!isValidUsername(username)) {
        err() << "sanayicind: username must have 3 to 32 characters of a-z, 0-9, _ and ."
              << Qt::endl;
        return 2;
    }
    QFile f(passwordFile);
    if (passwordFile.isEmpty() || !f.open(QIODevice::ReadOnly)) {
        err() << "sanayicind: cannot read the password file " << passwordFile << Qt::endl;
        return 2;
    }
    QString password = QString::fromUtf8(f.readAll());
    while (password.endsWith(QLatin1Char('\n')) || password.endsWith(QLatin1Char('\r')))
        password.chop(1);
    if (!hasLengthBetween(password, protocol::kPasswordMin, protocol::kPasswordMax)) {
        err() << "sanayicind: the password must have 8 to 128 characters" << Qt::endl;
        return 2;
    }
    std::unique_ptr<Db> db = openMigrated(config);
    if (!db)
        return 1;
    PasswordHasher hasher(config.argon2MemoryKiB, config.argon2Iterations, 1);
    const Role role = admin ? Role::Admin : Role::Customer;
    try {
        // As registration creates accounts (chat/accounts.h), in one transaction.
        Transaction tx(*db);
        const chat::Outcome<User> created = chat::Accounts::createAccount(
            *db, username, username, role, hasher.hash(password), nowMs());
        if (!created.ok()) {
            err() << "sanayicind: the username " << username << " is taken" << Qt::endl;
            return 1;
        }
        tx.commit();
        QTextStream(stdout) << "created " << roleName(role) << " " << username << " with id "
                            << created.value().id << Qt::endl;
        return 0;
    } catch (const DbError &e) {
        err() << "sanayicind: " << e.what() << Qt::endl;
        return 1;
    }
}

} // namespace sanayicin
