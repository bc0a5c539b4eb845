#pragma once

#include <QJsonArray>
#include <QJsonObject>
#include <QList>
#include <QString>
#include <optional>

namespace sanayicin::console {

// The server's frames on the admin stream (docs/protocol.md, "Admin
// stream"), parsed and checked by StreamFrameParser. Every frame that comes
// out of the parser has the fields its type needs, of the right types and
// within bounds: the views apply them without checking again.

// A stats Point (as GET /admin/stats/series has it); the numbers absent from
// the frame stay empty.
struct StreamPoint
{
    std::optional<double> messagesIn;
    std::optional<double> messagesOut;
    std::optional<double> ackP50Ms;
    std::optional<double> ackP95Ms;
    std::optional<double> ackP99Ms;
    std::optional<double> connections;
    std::optional<double> writerBacklog;
    QJsonObject json;
};

// One instance in a tick: its Instance object (with `state`) and its latest
// point, when it has one.
struct StreamInstance
{
    QString id;
    QString state; // "ok", "draining", "stale", ... (shown as a term)
    QJsonObject json;
    std::optional<StreamPoint> point;
};

// A closed connection: the key the connections table knows it by.
struct StreamConnectionRef
{
    QString instance;
    qint64 id = 0;
};

struct StreamFrame
{
    enum Type {
        Welcome,
        Tick,
        ReportFiled,
        ReportResolved,
        Moderation,
        Connections,
        ConnectionsReset,
        Pong,
        Error,
        Unknown, // a type this console does not know: counted, ignored
    };

    Type type = Unknown;
    QString typeName;
    // Consecutive per stream; 0 only for the frames that may come without
    // one (pong, error).
    qint64 seq = 0;

    // welcome
    QString stream;
    QString instance;
    QJsonObject user;
    int heartbeatS = 0;
    bool resumed = false;

    // tick
    qint64 atMs = 0;
    QList<StreamInstance> instances;
    std::optional<StreamPoint> cluster;

    // report_filed, report_resolved (the Report), moderation (the LogEntry)
    QJsonObject object;

    // connections
    QJsonArray opened; // Connection objects, each with `instance` and `id`
    QList<StreamConnectionRef> closed;

    // error
    QString code;
    QString message;
};

} // namespace sanayicin::console
