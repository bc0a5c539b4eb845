#pragma once

#include "history_event.h"

#include <QHash>
#include <QList>
#include <QMap>
#include <QSet>
#include <QString>

#include <vector>

namespace sanayicin::historycheck {

// What the checker found: the violations (each kind counted, the first few
// with their place in the history), what happened to every send, and per
// fault the time until the cluster served again.
struct Verdict
{
    struct Example
    {
        QString kind;
        QString detail;
        QString where;
    };
    struct Fault
    {
        QString name;
        qint64 startNs = 0;
        qint64 endNs = 0;        // 0: no end marker
        qint64 acksDuring = 0;   // acks received between start and end
        qint64 recoveryNs = -1;  // end -> the first ack after it; -1: none came
        qint64 longestGapNs = 0; // longest time without any ack, from start to that first ack
        qint64 connectionsLost = 0;
        qint64 lastLossAfterNs = 0; // start -> the last of those losses (how long clients took to notice)
        qint64 connectionsBackMaxNs = 0; // lost -> open again, the slowest
        qint64 connectionsNotBack = 0;
    };

    bool complete = false; // the generator's "end" line was seen
    QMap<QString, qint64> violations;
    QList<Example> examples; // at most kExamplesPerKind a kind
    QList<Fault> faults;

    qint64 connections = 0, opens = 0, reconnects = 0, losses = 0;
    qint64 churns = 0, churnReturns = 0; // closed on purpose mid-run; opened again after one
    qint64 sends = 0, acked = 0, refused = 0, lostStored = 0, lostNotStored = 0, silent = 0;
    qint64 refusedStored = 0; // refused with an error, yet a participant received it
    QMap<QString, qint64> refusedByCode;
    qint64 deliveriesLive = 0, deliveriesSync = 0;
    qint64 receiverPairs = 0;  // (committed message, receiving connection) pairs checked
    qint64 unverifiable = 0;   // of those, the receiver was away or unsynced at the end
    qint64 syncs = 0, finalSyncsDone = 0, finalSyncsAsked = 0;
    qint64 crossed = 0; // live frames a sync crossed on the way, which its page sent again

    bool ok() const { return complete && violations.isEmpty(); }
    QString text() const;

    static constexpr int kExamplesPerKind = 5;
};

// Feed it every event (the generator's file in its order, fault markers in
// theirs), then finish(). Properties checked (docs/reliability.md):
//   lost           an acknowledged (or committed) message not delivered, live
//                  or by sync, to a connection of a participant that was open
//                  when it was sent and up to date at the end
//   duplicate      one message id delivered twice to one client; one
//                  client_msg_id acknowledged with two ids, or stored twice
//   order          a lower seq (or id) after a higher one in a conversation,
//                  on one client; a gap in the seqs a client knows
//   backwards      a sync answering an id at or below its after_id; hello's
//                  last_message_id below an id the client already had; a
//                  message sent after a participant's connection had been
//                  given a higher id (a message or an ack, in any of its
//                  conversations), so committed below an id a client had
//   cursor-skip    a live message frame below an id the connection had
//                  already received, in another conversation (in its own it
//                  is an order violation): a client that lost its connection
//                  just before it would sync past it and never get it
// A sync and live frames cross on the way: what the server sent live before
// it read the sync comes again in the page if its id is above after_id (the
// sync answers what it was asked), and the page may then put a lower seq of
// that conversation after it. This can happen only to a sync sent while
// live messages flow: not the first one after hello within the grace
// period, nor one that continues a page with has_more (the server holds
// live messages then). Frames received while such a sync is out are judged
// when it is answered: the page is the run at the end ascending by id and
// above after_id; a frame before it that the page sends again crossed the
// sync (once) and is not a duplicate; the page is in order against what the
// client had before the sync, and a lower seq may follow a live frame of
// the window only if the page sends that frame again or it lies beyond a
// page with has_more (the next page sends it). Any other window is judged
// frame by frame as it came.
//   silent         a send with no ack, no error and no lost connection
//   refused-but-stored  a send refused with an error ("not stored; send it
//                  again") that a participant received all the same
// Sends whose connection was lost are resolved by what the participants
// received in the end: stored (then checked as acknowledged) or not.
// Churn (a close with "churn":true, then an open of the same connection):
// the closed socket owes nothing more (its unanswered sends are resolved as
// a lost connection's), and the connection that opens again owes everything
// sent since its first open, by sync or live, as after a loss.
class HistoryChecker
{
public:
    void add(const Event &e);
    Verdict finish();

private:
    struct Track
    {
        qint64 lastSeq = 0;
        qint64 lastId = 0;
        QSet<qint64> seqs; // delivered, or its own acknowledged ones
    };
    struct Conn
    {
        qint64 uid = 0;
        qint64 firstOpenNs = 0;
        bool open = false;
        bool away = false;        // lost (or left, churn), not open again yet
        bool left = false;        // away by a churn close, not by a loss
        qint64 lostAtNs = 0;
        qint64 highestSeen = 0;   // highest id of a message frame
        qint64 highestSeenConv = 0; // its conversation
        qint64 syncAfter = -1;    // a sync is out: its after_id
        QList<Event> window;      // message frames received while it is out
        bool mayCross = false;    // that sync was sent while live messages flowed
        bool held = true;         // the server holds live messages (after hello, after has_more)
        qint64 openNs = 0;
        QSet<qint64> carry;       // live ids beyond a has_more page: a later page may send them again
        QHash<qint64, Track> chainBefore; // then: what the pages so far leave, without those live ones
        bool finalAsked = false;
        bool finalDone = false;
        QSet<qint64> delivered;
        QHash<qint64, Track> tracks; // per conversation
        QSet<QString> pending;       // cmids of sends not answered yet
        // Each time the highest id given to it (a message or an ack) rose:
        // (when, that id), both rising.
        std::vector<std::pair<qint64, qint64>> given;
    };
    enum class SendState { Pending, Acked, Refused, LostConnection };
    struct Send
    {
        qint64 t = 0;
        qint64 c = 0;
        qint64 conv = 0;
        QString cmid;
        QString where;
        QString errorCode; // Refused: the server's code
        SendState state = SendState::Pending;
        qint64 id = 0;
        qint64 seq = 0;
    };
    struct Message
    {
        qint64 conv = 0;
        qint64 seq = 0;
        qint64 sender = 0;
        QString cmid;
    };
    struct Reconnect
    {
        qint64 lostNs = 0;
        qint64 backNs = 0; // 0: never
    };

    void violation(const QString &kind, const QString &detail, const QString &where);
    Conn &conn(qint64 c);
    void noteMessage(qint64 id, const Message &m, const QString &where);
    void onMsg(const Event &e);
    void deliverTo(Conn &c, const Event &e);
    void judgeWindow(Conn &c, const Event *synced = nullptr);
    void pageOutOfOrder(const Event &e, qint64 afterSeq);
    void onAck(const Event &e);
    void checkDeliveries();
    void checkGaps();
    QHash<qint64, QList<qint64>> connectionsByUser() const;
    void noteGiven(Conn &c, qint64 t, qint64 id);
    void checkCommitOrder();
    void faultReports();

    Verdict m_v;
    QHash<QString, qint64> m_exampleCount;
    QHash<qint64, Conn> m_conns;
    QHash<qint64, std::pair<qint64, qint64>> m_convs;
    QHash<QString, Send> m_sends; // key: "<c>|<cmid>"
    QHash<qint64, Message> m_messages;
    QHash<QString, QSet<qint64>> m_stored; // "<sender uid>|<cmid>" -> message ids
    std::vector<qint64> m_ackTimes;
    std::vector<Reconnect> m_reconnects;
    QHash<qint64, size_t> m_openReconnect; // connection -> its open entry in m_reconnects
    struct Marker
    {
        QString name;
        bool start;
        qint64 t;
    };
    QList<Marker> m_markers;
};

} // namespace sanayicin::historycheck
