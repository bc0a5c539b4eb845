#pragma once

#include <QString>

namespace sanayicin::historycheck {

// One line of a history (sanayicin-loadgen --history, or a fault-marker file
// of bench/faults.sh), read and type-checked. Only the fields of its kind are
// set; times are wall-clock nanoseconds.
struct Event
{
    enum class Kind {
        Run,    // the generator's first line
        Conv,   // conv, u1, u2: a conversation and its two participants
        Conn,   // c, uid: a client connection (logical: it survives reconnects)
        Open,   // c, uid, last (hello's last_message_id), re (a reconnection)
        Lost,   // c, code: closed by the server or the network
        Close,  // c, churn: closed by the generator (at the end; with churn, on
                // purpose mid-run: the same connection opens again and syncs)
        Send,   // c, conv, cmid
        Ack,    // c, cmid, conv, id, seq
        Error,  // c, code, ref (a send's cmid, or empty)
        Msg,    // c, conv, id, seq, sender, cmid, via (live|sync)
        Sync,   // c, after, final
        Synced, // c, last, more
        Fault,  // name, phase (start|end)
        End,    // the generator's last line
    };
    Kind kind = Kind::End;
    qint64 t = 0;
    QString where; // "file:line", for the report

    qint64 c = -1;
    qint64 conv = 0;
    qint64 id = 0;
    qint64 seq = 0;
    qint64 sender = 0;
    qint64 uid = 0;
    qint64 u1 = 0;
    qint64 u2 = 0;
    qint64 after = 0;
    qint64 last = 0;
    qint64 code = 0; // Lost / Close: the close code
    bool re = false;
    bool churn = false; // Close: a client leaving mid-run (--churn), back soon
    bool more = false;
    bool final = false;
    bool viaSync = false;
    bool faultStart = false;
    QString cmid;
    QString errorCode; // Error: the server's code
    QString ref;
    QString name; // Fault
};

} // namespace sanayicin::historycheck
