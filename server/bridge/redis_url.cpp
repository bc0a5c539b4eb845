#include "redis_url.h"

#include <QUrl>

namespace sanayicin {

std::optional<RedisUrl> RedisUrl::parse(const QString &text, QString &error)
{
    const QUrl url(text, QUrl::StrictMode);
    if (!url.isValid() || url.scheme() != u"redis" || url.host().isEmpty()) {
        error = QStringLiteral("redis URL must look like redis://[:password@]host:port/db");
        return std::nullopt;
    }
    RedisUrl out;
    out.host = url.host();
    out.port = url.port(6379);
    out.password = url.password(QUrl::FullyDecoded);
    const QString path = url.path().mid(1);
    if (!path.isEmpty()) {
        bool ok = false;
        out.db = path.toInt(&ok);
        if (!ok || out.db < 0) {
            error = QStringLiteral("redis URL: the database must be a number");
            return std::nullopt;
        }
    }
    return out;
}

QString RedisUrl::redacted() const
{
    return QStringLiteral("redis://%1:%2/%3").arg(host).arg(port).arg(db);
}

} // namespace sanayicin
