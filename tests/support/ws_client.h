#pragma once

#include <QJsonObject>
#include <QList>
#include <functional>
#include <QObject>
#include <QUrl>
#include <QWebSocket>

namespace sanayicin::test {

// A WebSocket client for tests: it records every frame it receives, in
// order, and waits for the ones a test expects.
class WsClient : public QObject
{
    Q_OBJECT
public:
    WsClient();

    // Opens the socket; with a token, authenticates by header.
    bool open(const QUrl &url, const QString &headerToken = {}, int timeoutMs = 10000);
    // Opens, authenticates (header, or first frame when `byFrame`), and waits
    // for hello. Returns the hello frame (empty on failure).
    QJsonObject connectAndHello(const QUrl &url, const QString &token, bool byFrame = false);

    void send(const QJsonObject &frame);
    void sendText(const QString &text);
    void sendBinary(const QByteArray &data);

    // The next frame not yet taken, of any type / of this type (frames of
    // other types stay queued). Empty object on timeout.
    QJsonObject next(int timeoutMs = 5000);
    QJsonObject nextOfType(const QString &type, int timeoutMs = 5000);
    // The next frame not yet taken for which `match` holds (others stay
    // queued). Empty object on timeout.
    QJsonObject nextWhere(const std::function<bool(const QJsonObject &)> &match,
                          int timeoutMs = 5000);
    // Spins the event loop until `done()` or the deadline; returns done().
    static bool waitUntil(const std::function<bool()> &done, int timeoutMs = 5000);
    // {"type":"send", ...}
    static QJsonObject sendFrame(qint64 conversationId, const QString &clientMsgId,
                                 const QString &body);
    // Sends a `send` frame and waits for its ack (matched by client_msg_id);
    // returns the ack's message, empty on an error frame or timeout.
    QJsonObject sendAndAck(qint64 conversationId, const QString &clientMsgId,
                           const QString &body, int timeoutMs = 10000);
    // Sends a ping with a unique ts and waits for its pong: every frame the
    // server got before it has been handled.
    bool roundTrip(int timeoutMs = 10000);
    // Frames of `type` received so far (taken or not).
    QList<QJsonObject> received(const QString &type) const;
    QList<QJsonObject> all() const { return m_all; }
    void clearQueue() { m_queue.clear(); }

    bool waitClosed(int timeoutMs = 10000);
    bool isOpen() const { return m_socket.state() == QAbstractSocket::ConnectedState; }
    int closeCode() const { return m_closeCode; }
    bool isClosed() const { return m_closed; }
    void close() { m_socket.close(); }
    void abort() { m_socket.abort(); }
    QWebSocket &socket() { return m_socket; }

private:
    QWebSocket m_socket;
    QList<QJsonObject> m_queue;
    QList<QJsonObject> m_all;
    int m_closeCode = -1;
    bool m_closed = false;
    qint64 m_pingCounter = 0;
};

} // namespace sanayicin::test
