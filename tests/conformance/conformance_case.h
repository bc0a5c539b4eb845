#pragma once

#include <QByteArray>
#include <QList>
#include <QString>
#include <QStringList>
#include <optional>

namespace sanayicin::conformance {

// One step of a case, run in order on an open, authenticated connection.
struct Action
{
    enum Kind {
        Send, // bytes, in pieces of `chop` bytes (0: at once), `gapMs` apart
        Mark, // records "mark:<name>" if the server has not closed yet
        Wait, // waits `gapMs`
    };
    Kind kind = Send;
    QByteArray bytes;
    int chop = 0;
    int gapMs = 0;
    QString name;
};

// A case of crossbario/autobahn-testsuite (categories 1-7, 9, 10) adapted to
// a server that answers instead of echoing: a text message gets one protocol
// answer (a pong for a JSON ping, whose ts carries the payload; a bad_request
// error for anything else), a binary message closes with 1003, a ping gets a
// pong with its payload. Replies are compared as strings:
//   "pong:<hex>"            a WebSocket pong
//   "json-pong:<len>:<sha1>" a {"type":"pong"} frame, ts digested
//   "error:<code>"          a {"type":"error"} frame
//   "mark:<name>"           the connection was still open at that step
struct Case
{
    QString id;
    QString sends;    // for the table in docs/rfc6455.md
    QString expected; // likewise
    QList<Action> actions;
    QStringList ok;                       // replies of a strict pass
    std::optional<QStringList> nonStrict; // replies of a non-strict pass
    QList<int> closeCodes{1000};          // the server's close code
    bool serverCloses = false; // the server must start the close (fail the connection)
    bool clientClosed = false; // the actions send a close frame themselves
    bool requireClean = true;  // the server's close frame comes before the TCP end
    bool informational = false; // outcome recorded, never a failure (as Autobahn)
    bool big = false;           // runs on the daemon with a 16 MiB frame limit
    int settleMs = 400;         // after the actions, for replies to come
};

QList<Case> allCases();

} // namespace sanayicin::conformance
