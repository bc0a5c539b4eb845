#pragma once

#include "delivery_check.h"
#include "event_loop.h"
#include "history_log.h"
#include "layout.h"
#include "net.h"
#include "options.h"
#include "receive_track.h"
#include "rng.h"
#include "run_stats.h"
#include "scheduler.h"
#include "ws_client_conn.h"

#include <atomic>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

namespace sanayicin::loadgen {

// Per connection, readable from every thread: when it became usable and when
// it closed, for the "who should have received this message" bookkeeping.
struct ConnSlot
{
    std::atomic<int64_t> openedNs{0}; // first hello
    std::atomic<int64_t> closedNs{0}; // closed and not (yet) reconnected
};

// What every worker shares, fixed before the workers start.
struct RunShared
{
    const Options *options = nullptr;
    const Layout *layout = nullptr;
    std::vector<Endpoint> endpoints; // per Options::urls
    uint32_t runTag = 0;             // in every client_msg_id of this process
    int64_t originNs = 0;            // due times in client_msg_ids count from here
    std::string body;                // the message body (JSON-safe text)
    std::unique_ptr<ConnSlot[]> slots;
    std::atomic<bool> finalizing{false}; // closes from now on are ours, not failures
    HistoryLog *history = nullptr;       // --history: every operation, else null
    int64_t wallOffsetNs = 0;            // monoNs() + this = wall-clock ns (history times)
};

// Cumulative counters the main thread polls while a run drains.
struct LiveCounters
{
    std::atomic<uint64_t> sent{0};
    std::atomic<uint64_t> acked{0};
    std::atomic<uint64_t> refused{0};
    std::atomic<uint64_t> delivered{0};
    std::atomic<uint64_t> expected{0};
    std::atomic<uint64_t> opened{0};
    std::atomic<uint64_t> failed{0};
    std::atomic<uint64_t> pings{0};
    std::atomic<uint64_t> pongs{0};
    std::atomic<uint64_t> abandoned{0};  // sends whose connection was lost before an answer
    std::atomic<uint64_t> finalSyncs{0}; // connections whose final sync is answered
    std::atomic<uint64_t> away{0};       // connections lost and not yet back
};

// One thread with its own epoll loop and its share of the connections: it
// connects them, sends its share of the open-loop schedule, reads every
// frame and keeps the statistics. The main thread steers it with call().
class Worker : public ConnOwner
{
public:
    Worker(int index, RunShared &shared);
    ~Worker() override;

    void addConnection(uint32_t connIndex); // before start()
    void start();
    void join();
    // Runs `fn` on the worker's thread and waits for it.
    void call(const std::function<void()> &fn);

    // Everything below runs on the worker's thread (through call()).
    void connectAll(int maxInFlight);
    void startSending(int64_t startNs, double rate, int64_t endNs, int64_t measureFromNs);
    void stopSending();
    // After the drain: every open connection syncs from its cursor until
    // has_more is false (what a client does after a reconnection), so that
    // whatever it missed is in the history; live().finalSyncs counts the
    // answered ones. Returns how many were asked.
    uint32_t finalSync();
    // No more keep-alive pings (before the final count, so that every ping
    // counted can have its pong counted too).
    void setKeepalive(bool on) { m_keepalive = on; }
    RunStats takeStats(bool reset);
    std::vector<AckRecord> takeAcks();
    void receiverStates(std::vector<ReceiverState> &out) const;
    void closeAll();
    void abortAll();
    void quit() { m_quit = true; }

    uint32_t senderCount() const { return uint32_t(m_senders.size()); }
    uint32_t connectionCount() const { return uint32_t(m_sessions.size()); }
    const LiveCounters &live() const { return m_live; }

    // ConnOwner
    void onConnOpen(WsClientConn &c) override;
    void onConnText(WsClientConn &c, std::string_view text) override;
    void onConnClosed(WsClientConn &c, int code) override;
    void markDirty(WsClientConn &c) override { m_dirty.push_back(&c); }
    char *readBuffer(size_t &size) override;

private:
    struct Session;

    void run();
    void runCommands();
    void sendDue(int64_t now);
    void sendMessage(Session &s, int64_t dueNs, int64_t now);
    void sendPing(Session &s, int64_t now);
    // after_id: the highest id seen, or (a page with has_more) where the
    // last page ended: a live message that crossed the sync may be higher.
    void sendSync(Session &s, int64_t now, int64_t afterId = -1);
    int64_t wall(int64_t monoNs) const { return monoNs + m_shared.wallOffsetNs; }
    void tick(int64_t now);
    void startConnects();
    void startConnect(Session &s);
    void flushDirty();
    Session *nextSender();
    uint32_t eligibleReceivers(const Session &sender, int64_t conversationId, int64_t sentNs) const;

    int m_index;
    RunShared &m_shared;
    const Options &m_options;
    const Layout &m_layout;
    EventLoop m_loop;
    std::thread m_thread;
    std::atomic<bool> m_quit{false};

    std::mutex m_commandsMutex;
    std::vector<std::function<void()>> m_commands;

    std::vector<std::unique_ptr<Session>> m_sessions;
    std::vector<Session *> m_senders;
    size_t m_nextSender = 0;
    std::deque<Session *> m_connectQueue;
    std::vector<Session *> m_reconnectQueue;
    int m_inFlight = 0;
    int m_maxInFlight = 0;
    bool m_closingAll = false;
    bool m_keepalive = true;
    bool m_churn = true; // --churn: connections may leave (until the final sync)

    OpenLoopSchedule m_schedule;
    int64_t m_measureFromNs = INT64_MAX;
    int64_t m_nextTickNs = 0;
    int64_t m_lastSendWakeNs = 0;
    std::vector<WsClientConn *> m_dirty;
    std::vector<char> m_readBuffer;
    std::string m_text; // the frame being built
    Rng m_rng;

    RunStats m_stats;
    LiveCounters m_live;
    std::vector<AckRecord> m_acks;
    HistoryBuffer m_history;
};

} // namespace sanayicin::loadgen
