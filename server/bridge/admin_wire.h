#pragma once

#include "metrics/stats_point.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QList>
#include <QString>
#include <optional>

namespace sanayicin::admin {

// The console's cluster-wide questions, asked of every instance through
// Redis pub/sub: the asker publishes a Request on kRequestChannel, each
// instance answers with a Reply on the asker's reply channel. Both are JSON
// objects; what comes out of Redis is as hostile as what comes from a
// client, so decoding is strict (RFC 8259, no duplicate keys, known fields
// of the right types, every list and text bounded) and pure: it is fuzzed
// (tests/fuzz/fuzz_admin_wire.cpp).

inline constexpr const char *kRequestChannel = "sanayicin:admin:requests";
QByteArray replyChannel(const QString &instance); // sanayicin:admin:replies:<instance>

inline constexpr qsizetype kMaxPayload = 8 * 1024 * 1024;
inline constexpr qint64 kMaxLimit = 500;
inline constexpr qint64 kMaxOffset = 10000;
// An instance answers at most offset + limit connections.
inline constexpr qint64 kMaxRows = kMaxOffset + kMaxLimit;
inline constexpr qint64 kMaxPoints = 3600;
inline constexpr qsizetype kMaxText = 256; // ids, user names, addresses, filters
inline constexpr int kMaxQueues = 16;
// Integers travel as JSON numbers (doubles): exact below 2^53.
inline constexpr qint64 kMaxId = (qint64(1) << 53) - 1;

enum class Ask { Connections, Queues, Series, Kick };
enum class SortKey { Id, OpenedAt, UnsentBytes, Username, Instance };

struct ConnectionRow
{
    qint64 id = 0;
    qint64 userId = 0;
    QString username;
    QString address;
    qint64 openedAtMs = 0;
    bool authenticated = false;
    qint64 unsentBytes = 0;
    QString instance;

    bool operator==(const ConnectionRow &) const = default;
};

// Which connections, in which order, which page.
struct ConnectionQuery
{
    qint64 userId = 0;        // 0: any
    QString usernamePrefix;   // folded (foldForSearch); empty: any
    QString instance;         // empty: any
    QString addressPrefix;    // empty: any
    SortKey sort = SortKey::Id;
    bool descending = false;
    qint64 limit = 100;
    qint64 offset = 0;

    bool matches(const ConnectionRow &row) const;
    // A total order: the key, then instance and id (unique together), so
    // that pages across instances neither repeat nor skip a row.
    bool before(const ConnectionRow &a, const ConnectionRow &b) const;

    bool operator==(const ConnectionQuery &) const = default;
};

struct QueueRow
{
    QString name;
    qint64 depth = 0;
    std::optional<qint64> oldestAgeMs; // none: the queue does not know

    bool operator==(const QueueRow &) const = default;
};

struct Request
{
    QString id;     // the asker's, unique among its requests
    QString origin; // the asking instance: where replies go
    QString target; // only this instance answers; empty: every instance
    qint64 deadlineMs = 0; // since the epoch: the asker stops waiting then
    Ask ask = Ask::Connections;
    ConnectionQuery connections; // Connections
    qint64 windowS = 600, stepS = 1; // Series
    qint64 connectionId = 0;     // Kick

    bool operator==(const Request &) const = default;
};

struct Reply
{
    QString id;   // the request's
    QString from; // the answering instance
    Ask ask = Ask::Connections;
    QList<ConnectionRow> rows; // Connections: the first offset+limit in order
    qint64 total = 0;          // Connections: all that match
    QList<QueueRow> queues;    // Queues
    QList<StatsPoint> points;  // Series, oldest first
    bool found = false;        // Kick: the connection was there (and closes)
    qint64 userId = 0;         // Kick: its user (0 before authentication)

    bool operator==(const Reply &) const = default;
};

QByteArray encodeRequest(const Request &request);
// nullopt (and why, if `error`) for anything but a well-formed request.
std::optional<Request> decodeRequest(QByteArrayView payload, QString *error = nullptr);
QByteArray encodeReply(const Reply &reply);
std::optional<Reply> decodeReply(QByteArrayView payload, QString *error = nullptr);

// What one instance answers: the rows that match, in order, the first
// offset+limit of them; `total` all that match.
QList<ConnectionRow> firstRows(QList<ConnectionRow> all, const ConnectionQuery &query, qint64 &total);

// The asker's page from every instance's firstRows: exact, because the page
// lies within the first offset+limit rows of the union.
QList<ConnectionRow> mergePage(const QList<QList<ConnectionRow>> &parts, const ConnectionQuery &query);

// What every instance tells the others' admin streams (docs/protocol.md
// "Admin stream"), on kEventsChannel: `Watch` (an admin stream is open on
// the sender: gather connection events and statuses for a while), `Status`
// (the sender's Instance summary with its state and its latest stats point,
// once a second while watched), `Event` (a report or a moderation log entry:
// the frame's body as the stream carries it), `Connections` (the sender's
// WebSockets that authenticated or closed since its last tick).
inline constexpr const char *kEventsChannel = "sanayicin:admin:events";
inline constexpr qsizetype kMaxObjectBytes = 64 * 1024; // a summary or an event's body

enum class BroadcastKind { Watch, Status, Event, Connections };

struct Broadcast
{
    BroadcastKind kind = BroadcastKind::Watch;
    QString from;                     // the sending instance
    QByteArray summary;               // Status: a JSON object with a string "id"
    std::optional<StatsPoint> point;  // Status: none before the first second
    QString eventType;                // Event: report_filed, report_resolved or moderation
    QByteArray body;                  // Event: a JSON object
    QList<ConnectionRow> opened;      // Connections
    QList<qint64> closed;             // Connections: ids on `from`
    bool reset = false;               // Connections: more than were kept

    bool operator==(const Broadcast &) const = default;
};

} // namespace sanayicin::admin
namespace sanayicin {
class JsonWriter;
}
namespace sanayicin::admin {
// A Connection of docs/protocol.md (GET /admin/connections, the admin
// stream's `connections` frames).
void writeConnection(JsonWriter &w, const ConnectionRow &c);

QByteArray encodeBroadcast(const Broadcast &b);
// nullopt (and why, if `error`) for anything but a well-formed broadcast;
// JSON objects come out compact, as QJsonDocument writes them.
std::optional<Broadcast> decodeBroadcast(QByteArrayView payload, QString *error = nullptr);

// The names on the wire and in the query string.
const char *sortKeyName(SortKey key);
std::optional<SortKey> sortKeyFromName(QStringView name);

} // namespace sanayicin::admin
