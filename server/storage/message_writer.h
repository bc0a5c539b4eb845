#pragma once

#include "committed_batch_sink.h"
#include "conversation_store.h"
#include "database_url.h"
#include "message_batch.h"
#include "protocol/delivered_message.h"

#include <QThread>
#include <condition_variable>
#include <deque>
#include <optional>
#include <functional>
#include <memory>
#include <mutex>

namespace sanayicin {

class Db;
class MembershipCache;
class Counter;
class Histogram;
class Gauge;

struct SendResult
{
    // Failed: not stored. Unknown: the commit's answer was lost and the
    // database stayed away for the whole resolve deadline, so whether it
    // was stored cannot be said (resending the same client_msg_id tells).
    enum class Status { Stored, Duplicate, NotFound, Failed, Unknown };
    Status status = Status::Failed;
    std::shared_ptr<const DeliveredMessage> message; // Stored and Duplicate
};

struct SendCommand
{
    store::PendingSend send;
    qint64 originConnection = 0; // WebSocket that sent it; 0 for HTTP
    qint64 receivedNs = 0;       // steady clock, for the receive-to-ack histogram
    // Called on the writer thread; it must post to its own thread.
    std::function<void(const SendResult &)> reply;
};

// The one writer of messages. Sends queue up while a transaction commits and
// the next transaction takes all of them (up to a maximum): group commit
// sized by the load itself, with no timer to wait on. After each commit the
// batch goes to the sink (delivery) in commit order, then each sender gets
// its result.
// Other small writes that must not block a network thread (read cursors) run
// here too, as jobs between batches: a bounded queue, and turns taken so
// that neither a flood of jobs delays acks nor a flood of sends starves the
// jobs.
class MessageWriter
{
public:
    struct Metrics
    {
        Counter *persisted = nullptr;
        Counter *batches = nullptr;
        Counter *failures = nullptr;
        Histogram *batchSeconds = nullptr;
        Histogram *receiveToAck = nullptr;
        Histogram *queryTimer = nullptr;
        Counter *refusedJobs = nullptr; // post() found the job queue full
    };

    // `maxJobs`: the most jobs that may wait; post() refuses more.
    MessageWriter(DatabaseUrl url, CommittedBatchSink &sink, MembershipCache &members, int maxBatch,
                  int maxJobs, Metrics metrics);
    ~MessageWriter();

    // How long a batch whose COMMIT went out but whose answer was lost
    // waits, its senders unanswered, for the database to say what it stored
    // (then Unknown). Before start().
    void setResolveDeadline(qint64 ms) { m_resolveDeadlineNs = ms * 1'000'000; }

    bool start(QString &error);
    // Finishes everything queued, then stops.
    void stop();

    void submit(SendCommand command);
    // Queues a job for the writer thread; false, and nothing queued, when
    // `maxJobs` already wait (the caller answers `unavailable`).
    [[nodiscard]] bool post(std::function<void(Db &)> job);
    int backlog() const;
    // How long the oldest waiting send has waited (0 with none waiting);
    // nothing when only read cursors wait (they carry no time).
    std::optional<qint64> oldestWaitMs() const;

private:
    void run();
    // A send of a batch whose commit may or may not have happened.
    struct Unresolved
    {
        SendCommand command;
        store::Members members;
        qint64 batchNowMs = 0; // the created_at the batch gave its new messages
        // The highest message id known committed before the batch went out:
        // a message at or below it was not stored by the batch.
        qint64 knownIdBefore = 0;
        qint64 deadlineNs = 0; // steady clock
    };

    void processSends(std::vector<SendCommand> &commands);
    // Looks the unresolved sends up by (sender, client_msg_id) once the
    // database answers again and the lost transaction has ended: found ones
    // are acked and delivered like a committed batch, missing ones refused;
    // past their deadline (or with `giveUp`) they are answered Unknown.
    void resolve(bool giveUp);
    // The look-up's rows, one per unresolved send. Throws DbError, also when
    // the lost transaction still holds the lock after `lockWaitMs`.
    std::vector<DbRows> lookUpUnresolved(qint64 lockWaitMs);
    void runJobs();

    DatabaseUrl m_url;
    CommittedBatchSink &m_sink;
    MembershipCache &m_members;
    int m_maxBatch;
    int m_maxJobs;
    Metrics m_metrics;
    std::unique_ptr<Db> m_db;
    QThread *m_thread = nullptr;

    mutable std::mutex m_mutex;
    std::condition_variable m_wake;
    std::deque<SendCommand> m_sends;
    std::deque<std::function<void(Db &)>> m_jobs;
    bool m_stopping = false;
    qint64 m_lastCommitMs = 0;
    qint64 m_lastKnownId = 0; // the highest message id a commit or look-up returned
    // Writer thread only. While not empty, no new batch goes out: acks stay
    // in send order.
    std::vector<Unresolved> m_unresolved;
    qint64 m_resolveDeadlineNs = 30'000'000'000;
};

} // namespace sanayicin
