#pragma once

#include "bridge/admin_wire.h"
#include "threading/reply_to.h"

#include <QHash>
#include <QObject>
#include <QSet>
#include <QStringList>
#include <atomic>
#include <functional>

namespace sanayicin {

class Bridge;

// The console's questions to every live instance, through the bridge's
// Redis (admin_wire.h), on the delivery thread: a network thread never
// waits on Redis. The asker lists the live instances (their heartbeats),
// publishes one request, and gathers the replies on its own reply channel
// until each has answered or the deadline passes; whoever has not answered
// by then is reported as such. Requests from other instances are answered
// by `Local` (given by the layer that knows the answers: chat/).
class ClusterQueries : public QObject
{
    Q_OBJECT
public:
    // Answers a request for this instance; `done` runs once, on `home`'s
    // thread (the delivery thread).
    using Local = std::function<void(const admin::Request &, QObject *home,
                                     std::function<void(admin::Reply)> done)>;

    struct Result
    {
        QList<admin::Reply> replies; // one per instance that answered in time
        QStringList timedOut;        // live instances that did not
        bool alone = true;           // no Redis (or none now): this instance only
        bool targetUnknown = false;  // the request named an instance that is not live
    };

    ClusterQueries(Bridge *bridge, QString instanceId, QObject *parent = nullptr);

    // Thread-safe. Set once at start.
    void setLocal(Local local);
    void setTimeoutMs(int ms) { m_timeoutMs = ms; }
    int timeoutMs() const { return m_timeoutMs; }

    // Thread-safe: asks the other live instances (never this one: the asker
    // answers its own part directly); `done` runs on `home`'s thread if it
    // still lives. `request.id`, `origin` and `deadlineMs` are filled here.
    void ask(admin::Request request, QObject *home, std::function<void(Result)> done);

private:
    struct Pending
    {
        admin::Request request;
        QSet<QString> waiting;
        Result result;
        ReplyTo reply;
        std::function<void(Result)> done;
    };
    void askNow(admin::Request request, ReplyTo reply, std::function<void(Result)> done);
    void onRequest(const QByteArray &payload);
    void onReply(const QByteArray &payload);
    void finish(const QString &id);

    Bridge *m_bridge;
    QString m_instanceId;
    Local m_local;                    // on the delivery thread
    std::atomic<int> m_timeoutMs{1000};
    QString m_idPrefix;               // tells this process's requests apart from a former one's
    quint64 m_nextId = 0;
    QHash<QString, Pending> m_pending; // by request id
};

} // namespace sanayicin
