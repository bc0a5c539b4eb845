#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QJsonObject>
#include <QString>
#include <variant>

namespace sanayicin {

// Frames a client sends over the WebSocket, parsed and validated once.

struct AuthFrame
{
    QString token;
};

struct SendFrame
{
    qint64 conversationId = 0;
    QString clientMsgId;
    QString body;
};

struct TypingFrame
{
    qint64 conversationId = 0;
};

struct ReadFrame
{
    qint64 conversationId = 0;
    qint64 messageId = 0;
};

struct SyncFrame
{
    qint64 afterId = 0;
    int limit = 0;
};

struct PingFrame
{
    bool hasTs = false;
    QByteArray tsJson; // `ts` re-serialised as compact JSON, echoed as given
};

// A frame refused with `bad_request`; the connection stays open.
struct FrameError
{
    QString message;
    QString ref; // the frame's client_msg_id, when it had a string one
    bool hasRef = false;
};

using ClientFrame = std::variant<FrameError, AuthFrame, SendFrame, TypingFrame, ReadFrame,
                                 SyncFrame, PingFrame>;

ClientFrame parseClientFrame(QByteArrayView utf8);

// The steps parseClientFrame shares with the admin stream's frames
// (admin_client_frames.h): strict JSON, an object, a string "type"...
struct TypedFrameObject
{
    QJsonObject object;
    QString type;
};
std::variant<FrameError, TypedFrameObject> parseFrameObject(QByteArrayView utf8);
// ... and the two frames both streams take.
std::variant<FrameError, AuthFrame> parseAuthFrame(const QJsonObject &object);
PingFrame parsePingFrame(const QJsonObject &object);

// Validation of a message body and client_msg_id, shared with HTTP's POST.
// Returns an empty string when valid, else the reason.
QString checkClientMsgId(const QString &clientMsgId);
QString checkMessageBody(const QString &body);

} // namespace sanayicin
