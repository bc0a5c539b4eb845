#pragma once

#include "delivered_message.h"
#include "storage/database_url.h"

#include <QHash>
#include <QObject>
#include <QThread>
#include <memory>

namespace sanayicin {

class Db;
class Hub;
class Counter;

// One thread, with its own database connection, through which every message
// passes on its way to the network threads. It keeps, per conversation, the
// last seq it delivered: a message that skips ahead is preceded by the ones
// missing, read from the database, and one it has already delivered is
// dropped. It also turns presence changes into frames for the user's peers,
// in the order they happened.
class DeliveryService : public QObject
{
    Q_OBJECT
public:
    DeliveryService(Hub &hub, DatabaseUrl url);
    ~DeliveryService() override;

    bool start(QString &error);
    void stop();

    // Thread-safe entry points.
    void submitBatch(std::shared_ptr<const MessageBatch> batch);
    void presenceChanged(qint64 userId);
    void invalidatePeers(qint64 userA, qint64 userB);

    void setCounters(Counter *delivered, Counter *gapFills)
    {
        m_delivered = delivered;
        m_gapFills = gapFills;
    }

private:
    void processBatch(const std::shared_ptr<const MessageBatch> &batch);
    void processPresence(qint64 userId);
    void prune();
    QList<qint64> peersOf(qint64 userId);

    Hub &m_hub;
    DatabaseUrl m_url;
    QThread m_thread;
    std::unique_ptr<Db> m_db;

    struct SeqState
    {
        qint64 lastSeq = 0;
        qint64 touchedAtMs = 0;
    };
    QHash<qint64, SeqState> m_lastSeq;
    QHash<qint64, QList<qint64>> m_peers;
    QHash<qint64, bool> m_announced; // presence last told to peers
    qint64 m_lastPruneMs = 0;
    Counter *m_delivered = nullptr;
    Counter *m_gapFills = nullptr;
};

QByteArray presenceFrame(qint64 userId, bool online);

} // namespace sanayicin
