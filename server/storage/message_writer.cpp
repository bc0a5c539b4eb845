#include "message_writer.h"

#include "db.h"
#include "logging/log.h"
#include "membership_cache.h"
#include "row_readers.h"
#include "sql_library.h"
#include "metrics/metrics.h"
#include "time/clock.h"
#include "threading/thread_exit.h"

#include <QElapsedTimer>
#include <QSemaphore>
#include <QSet>
#include <algorithm>
#include <chrono>

namespace sanayicin {

namespace {
// While sends wait, jobs get at most this long between two batches (and
// always one job): a flood of read cursors adds at most this to an ack.
constexpr qint64 kJobSliceNs = 5'000'000;
// How often sends of a lost commit are looked up again while the database is
// away (Db itself tries to reconnect at most every 200 ms).
constexpr int kResolveEveryMs = 200;
// The longest one look-up waits for the lost transaction's lock before it
// lets the writer run its jobs and tries again (up to the resolve deadline).
constexpr qint64 kResolveLockWaitMs = 1000;
} // namespace

MessageWriter::MessageWriter(DatabaseUrl url, CommittedBatchSink &sink, MembershipCache &members,
                             int maxBatch, int maxJobs, Metrics metrics)
    : m_url(std::move(url)), m_sink(sink), m_members(members), m_maxBatch(maxBatch)
    , m_maxJobs(maxJobs), m_metrics(metrics)
{}

MessageWriter::~MessageWriter()
{
    stop();
}

bool MessageWriter::start(QString &error)
{
    QSemaphore opened;
    bool ok = false;
    m_thread = QThread::create([&] {
        waitForThisThreadAtExit();
        m_db = Db::connect(m_url, QStringLiteral("writer"), error);
        // `ok`, `error` and `opened` live on start()'s stack, which is gone
        // once start() returns: decide with a copy, touch nothing after
        // release().
        const bool connected = m_db != nullptr;
        ok = connected;
        if (m_db)
            m_db->setQueryTimer(m_metrics.queryTimer);
        opened.release();
        if (connected)
            run();
        m_db.reset();
    });
    m_thread->setObjectName(QStringLiteral("writer"));
    m_thread->start();
    opened.acquire();
    if (!ok) {
        m_thread->wait();
        delete m_thread;
        m_thread = nullptr;
    }
    return ok;
}

void MessageWriter::stop()
{
    if (!m_thread)
        return;
    {
        std::lock_guard lock(m_mutex);
        m_stopping = true;
    }
    m_wake.notify_all();
    m_thread->wait();
    delete m_thread;
    m_thread = nullptr;
}

void MessageWriter::submit(SendCommand command)
{
    {
        std::lock_guard lock(m_mutex);
        m_sends.push_back(std::move(command));
    }
    m_wake.notify_one();
}

bool MessageWriter::post(std::function<void(Db &)> job)
{
    {
        std::lock_guard lock(m_mutex);
        if (qsizetype(m_jobs.size()) >= m_maxJobs) {
            if (m_metrics.refusedJobs)
                m_metrics.refusedJobs->inc();
            return false;
        }
        m_jobs.push_back(std::move(job));
    }
    m_wake.notify_one();
    return true;
}

int MessageWriter::backlog() const
{
    std::lock_guard lock(m_mutex);
    return int(m_sends.size() + m_jobs.size());
}

std::optional<qint64> MessageWriter::oldestWaitMs() const
{
    // Read by the console only; the sends carry their arrival time already.
    const qint64 now = steadyNs();
    std::lock_guard lock(m_mutex);
    if (!m_sends.empty() && m_sends.front().receivedNs)
        return std::max<qint64>(0, (now - m_sends.front().receivedNs) / 1000000);
    if (m_sends.empty() && m_jobs.empty())
        return 0;
    return std::nullopt;
}

void MessageWriter::run()
{
    std::vector<SendCommand> sends;
    for (;;) {
        bool stopping = false;
        {
            std::unique_lock lock(m_mutex);
            // Sends wait while a lost batch is unresolved: acks in send order.
            const auto ready = [this] {
                return m_stopping || !m_jobs.empty() || (!m_sends.empty() && m_unresolved.empty());
            };
            // With sends unresolved, wake now and then to look them up again.
            if (m_unresolved.empty())
                m_wake.wait(lock, ready);
            else
                m_wake.wait_for(lock, std::chrono::milliseconds(kResolveEveryMs), ready);
            stopping = m_stopping;
            if (stopping && m_sends.empty() && m_jobs.empty() && m_unresolved.empty())
                return; // stopping with nothing left
        }
        // Before the next batch: what a lost commit stored goes out first
        // (when stopping, a last look-up, then Unknown).
        resolve(stopping);
        if (m_unresolved.empty()) {
            std::lock_guard lock(m_mutex);
            while (!m_sends.empty() && int(sends.size()) < m_maxBatch) {
                sends.push_back(std::move(m_sends.front()));
                m_sends.pop_front();
            }
        }
        if (!sends.empty())
            processSends(sends);
        sends.clear();
        runJobs();
    }
}

// Every waiting job when no send waits; otherwise at least one, then more
// only until the slice is spent: the next batch goes out, then jobs again.
void MessageWriter::runJobs()
{
    const qint64 sliceEnd = steadyNs() + kJobSliceNs;
    for (bool first = true;; first = false) {
        std::function<void(Db &)> job;
        {
            std::lock_guard lock(m_mutex);
            if (m_jobs.empty() || (!first && !m_sends.empty() && steadyNs() >= sliceEnd))
                return;
            job = std::move(m_jobs.front());
            m_jobs.pop_front();
        }
        try {
            job(*m_db);
        } catch (const DbError &e) {
            qCWarning(lcWriter).noquote() << "write job failed:" << e.what();
        }
    }
}

void MessageWriter::processSends(std::vector<SendCommand> &commands)
{
    QElapsedTimer timer;
    timer.start();

    // Membership first: a send to a conversation the sender is not in is
    // refused here and never reaches the transaction.
    std::vector<store::PendingSend> pending;
    std::vector<int> pendingIndex(commands.size(), -1);
    std::vector<store::Members> members(commands.size());
    std::vector<SendResult> results(commands.size());
    for (size_t i = 0; i < commands.size(); ++i) {
        std::optional<store::Members> m;
        try {
            m = m_members.load(*m_db, commands[i].send.conversationId);
        } catch (const DbError &e) {
            qCWarning(lcWriter).noquote() << "membership look-up failed:" << e.what();
            results[i].status = SendResult::Status::Failed;
            continue;
        }
        if (!m || !m->contains(commands[i].send.senderId)) {
            results[i].status = SendResult::Status::NotFound;
            continue;
        }
        members[i] = *m;
        pendingIndex[i] = int(pending.size());
        pending.push_back(commands[i].send);
    }

    auto committed = std::make_shared<MessageBatch>();
    std::vector<bool> deferred(commands.size(), false);
    if (!pending.empty()) {
        // Times never go backwards, even if the wall clock does.
        const qint64 now = std::max(nowMs(), m_lastCommitMs);
        try {
            const std::vector<store::StoredSend> stored = store::storeMessageBatch(*m_db, pending, now);
            m_lastCommitMs = now;
            for (const store::StoredSend &s : stored)
                m_lastKnownId = std::max(m_lastKnownId, s.message.id);
            for (size_t i = 0; i < commands.size(); ++i) {
                if (pendingIndex[i] < 0)
                    continue;
                const store::StoredSend &s = stored[size_t(pendingIndex[i])];
                auto delivered = DeliveredMessage::make(s.message, members[i].userA,
                                                        members[i].userB,
                                                        s.duplicate ? 0 : commands[i].originConnection);
                results[i].status =
                    s.duplicate ? SendResult::Status::Duplicate : SendResult::Status::Stored;
                results[i].message = delivered;
                if (!s.duplicate)
                    committed->push_back(delivered);
            }
            if (m_metrics.persisted)
                m_metrics.persisted->inc(quint64(committed->size()));
            if (m_metrics.batches)
                m_metrics.batches->inc();
        } catch (const DbError &e) {
            if (m_metrics.failures)
                m_metrics.failures->inc();
            if (e.commitUnknown()) {
                // The COMMIT went out and its answer was lost: "not stored"
                // may be false. The senders wait until resolve() knows.
                qCWarning(lcWriter).noquote() << "batch of" << pending.size()
                                              << "messages: commit outcome unknown:" << e.what();
                m_lastCommitMs = now;
                const qint64 deadline = steadyNs() + m_resolveDeadlineNs;
                for (size_t i = 0; i < commands.size(); ++i)
                    if (pendingIndex[i] >= 0) {
                        deferred[i] = true;
                        m_unresolved.push_back(
                            {std::move(commands[i]), members[i], now, m_lastKnownId, deadline});
                    }
            } else {
                // Nothing of the batch is stored; each sender hears so and
                // may resend with the same client_msg_id.
                qCWarning(lcWriter).noquote()
                    << "batch of" << pending.size() << "messages failed:" << e.what();
                for (size_t i = 0; i < commands.size(); ++i)
                    if (pendingIndex[i] >= 0)
                        results[i].status = SendResult::Status::Failed;
            }
        }
    }

    if (!committed->empty())
        m_sink.committed(std::move(committed));
    const qint64 doneNs = steadyNs();
    for (size_t i = 0; i < commands.size(); ++i) {
        if (deferred[i])
            continue;
        if (m_metrics.receiveToAck && commands[i].receivedNs)
            m_metrics.receiveToAck->observe(double(doneNs - commands[i].receivedNs) / 1e9);
        if (commands[i].reply)
            commands[i].reply(results[i]);
    }
    if (m_metrics.batchSeconds)
        m_metrics.batchSeconds->observe(double(timer.nsecsElapsed()) / 1e9);
}

// One round trip for all of them: a transaction that first queues for the
// counter's lock (lost_commit_barrier.sql), then batch_find_existing per send.
// The lock is the barrier: the lost transaction took it first (its batch went
// out before this look-up), so this waits until it has ended. Also when it had
// committed and waits for a synchronous standby: PostgreSQL marks the commit
// in the log and clog, then waits (SyncRepWaitForLSN in
// RecordTransactionCommit, xact.c: "still show as running in the procarray
// and continue to hold locks"); the locks go only after that.
std::vector<DbRows> MessageWriter::lookUpUnresolved(qint64 lockWaitMs)
{
    const Dialect dialect = m_db->dialect();
    const SqlStatement &find = sqlStatement(dialect, QStringLiteral("batch_find_existing"));
    std::vector<Db::Step> steps;
    if (dialect == Dialect::Postgres) {
        steps.push_back({&sqlStatement(dialect, QStringLiteral("lost_commit_lock_timeout")),
                         {QString::number(lockWaitMs)}});
        steps.push_back({&sqlStatement(dialect, QStringLiteral("lost_commit_barrier")), {}});
    }
    const size_t first = steps.size();
    for (const Unresolved &u : m_unresolved)
        steps.push_back({&find, {u.command.send.senderId, u.command.send.clientMsgId}});
    Transaction tx(*m_db, Transaction::Deferred);
    std::vector<DbRows> rows = m_db->pipeline(steps, true, true);
    tx.markCommitted();
    rows.erase(rows.begin(), rows.begin() + qsizetype(first));
    return rows;
}

void MessageWriter::resolve(bool giveUp)
{
    if (m_unresolved.empty())
        return;
    qint64 deadlineNs = m_unresolved.front().deadlineNs;
    for (const Unresolved &u : m_unresolved)
        deadlineNs = std::min(deadlineNs, u.deadlineNs);
    // Not past the deadline for a lock held on; at least 1 ms (0 is none).
    const qint64 lockWaitMs =
        giveUp ? 1 : std::clamp<qint64>((deadlineNs - steadyNs()) / 1'000'000, 1, kResolveLockWaitMs);
    std::vector<DbRows> found;
    try {
        found = lookUpUnresolved(lockWaitMs);
    } catch (const DbError &e) {
        qCDebug(lcWriter).noquote() << "looking up a lost commit's sends failed:" << e.what();
    }

    const qint64 nowNs = steadyNs();
    auto committed = std::make_shared<MessageBatch>();
    std::vector<std::pair<SendCommand, SendResult>> answers;
    std::vector<Unresolved> waiting;
    QSet<qint64> delivered;
    qsizetype stored = 0, missing = 0, unknown = 0;
    for (size_t i = 0; i < m_unresolved.size(); ++i) {
        Unresolved &u = m_unresolved[i];
        SendResult result;
        if (found.size() == m_unresolved.size() && !found[i].isEmpty()) {
            const Message m = readMessage(found[i], 0, 0);
            m_lastKnownId = std::max(m_lastKnownId, m.id);
            // A message stored by an earlier batch (a resend) was delivered
            // then: acked as a repeat, not delivered again. The lost batch
            // stamped its new messages with its own time and gave them ids
            // above every id committed before it went out, so another time,
            // or an id this writer already knew committed, is earlier (the
            // time alone fails when both batches fell in one millisecond).
            // A repeat inside the lost batch is found twice: delivered once.
            const bool earlier = m.createdAtMs != u.batchNowMs || m.id <= u.knownIdBefore
                                 || delivered.contains(m.id);
            delivered.insert(m.id);
            result.status = earlier ? SendResult::Status::Duplicate : SendResult::Status::Stored;
            result.message = DeliveredMessage::make(m, u.members.userA, u.members.userB,
                                                    earlier ? 0 : u.command.originConnection);
            if (!earlier)
                committed->push_back(result.message);
            ++stored;
        } else if (found.size() == m_unresolved.size()) {
            result.status = SendResult::Status::Failed; // the commit did not happen
            ++missing;
        } else if (giveUp || nowNs >= u.deadlineNs) {
            result.status = SendResult::Status::Unknown;
            ++unknown;
        } else {
            waiting.push_back(std::move(u));
            continue;
        }
        answers.emplace_back(std::move(u.command), std::move(result));
    }
    m_unresolved = std::move(waiting);
    if (answers.empty())
        return;
    qCInfo(lcWriter) << "lost commit resolved:" << stored << "stored," << missing << "not stored,"
                     << unknown << "unknown";
    // In id order, as a committed batch is.
    std::sort(committed->begin(), committed->end(),
              [](const auto &a, const auto &b) { return a->message.id < b->message.id; });
    if (!committed->empty()) {
        if (m_metrics.persisted)
            m_metrics.persisted->inc(quint64(committed->size()));
        m_sink.committed(std::move(committed));
    }
    for (auto &[command, result] : answers) {
        if (m_metrics.receiveToAck && command.receivedNs)
            m_metrics.receiveToAck->observe(double(nowNs - command.receivedNs) / 1e9);
        if (command.reply)
            command.reply(result);
    }
}

} // namespace sanayicin
