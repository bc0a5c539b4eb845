#include "ws_client.h"

#include <QDeadlineTimer>
#include <QEventLoop>
#include <QJsonDocument>
#include <QNetworkRequest>
#include <QTimer>

namespace sanayicin::test {

namespace {

// Runs the event loop until `done()` or the deadline.
template<typename F>
bool spinUntil(F done, int timeoutMs)
{
    QDeadlineTimer deadline(timeoutMs);
    while (!done()) {
        if (deadline.hasExpired())
            return false;
        QEventLoop loop;
        QTimer::singleShot(5, &loop, &QEventLoop::quit);
        loop.exec();
    }
    return true;
}

} // namespace

WsClient::WsClient()
{
    m_socket.setMaxAllowedIncomingMessageSize(64 << 20);
    connect(&m_socket, &QWebSocket::textMessageReceived, this, [this](const QString &text) {
        const QJsonObject o = QJsonDocument::fromJson(text.toUtf8()).object();
        m_queue.push_back(o);
        m_all.push_back(o);
    });
    connect(&m_socket, &QWebSocket::disconnected, this, [this] {
        m_closed = true;
        m_closeCode = m_socket.closeCode();
    });
}

bool WsClient::open(const QUrl &url, const QString &headerToken, int timeoutMs)
{
    QNetworkRequest req(url);
    if (!headerToken.isEmpty())
        req.setRawHeader("Authorization", "Bearer " + headerToken.toUtf8());
    m_closed = false;
    m_socket.open(req);
    return spinUntil([this] { return isOpen() || m_closed; }, timeoutMs) && isOpen();
}

QJsonObject WsClient::connectAndHello(const QUrl &url, const QString &token, bool byFrame)
{
    if (!open(url, byFrame ? QString() : token))
        return {};
    if (byFrame)
        send({{QStringLiteral("type"), QStringLiteral("auth")}, {QStringLiteral("token"), token}});
    return nextOfType(QStringLiteral("hello"), 10000);
}

void WsClient::send(const QJsonObject &frame)
{
    m_socket.sendTextMessage(QString::fromUtf8(QJsonDocument(frame).toJson(QJsonDocument::Compact)));
}

void WsClient::sendText(const QString &text)
{
    m_socket.sendTextMessage(text);
}

void WsClient::sendBinary(const QByteArray &data)
{
    m_socket.sendBinaryMessage(data);
}

QJsonObject WsClient::next(int timeoutMs)
{
    if (!spinUntil([this] { return !m_queue.isEmpty(); }, timeoutMs))
        return {};
    return m_queue.takeFirst();
}

QJsonObject WsClient::nextOfType(const QString &type, int timeoutMs)
{
    QJsonObject found;
    spinUntil(
        [&] {
            for (qsizetype i = 0; i < m_queue.size(); ++i) {
                if (m_queue[i].value(QStringLiteral("type")).toString() == type) {
                    found = m_queue.takeAt(i);
                    return true;
                }
            }
            return false;
        },
        timeoutMs);
    return found;
}

QJsonObject WsClient::nextWhere(const std::function<bool(const QJsonObject &)> &match,
                                int timeoutMs)
{
    QJsonObject found;
    spinUntil(
        [&] {
            for (qsizetype i = 0; i < m_queue.size(); ++i) {
                if (match(m_queue[i])) {
                    found = m_queue.takeAt(i);
                    return true;
                }
            }
            return false;
        },
        timeoutMs);
    return found;
}

bool WsClient::waitUntil(const std::function<bool()> &done, int timeoutMs)
{
    return spinUntil(done, timeoutMs);
}

QJsonObject WsClient::sendFrame(qint64 conversationId, const QString &clientMsgId,
                                const QString &body)
{
    return {{QStringLiteral("type"), QStringLiteral("send")},
            {QStringLiteral("conversation_id"), conversationId},
            {QStringLiteral("client_msg_id"), clientMsgId},
            {QStringLiteral("body"), body}};
}

QJsonObject WsClient::sendAndAck(qint64 conversationId, const QString &clientMsgId,
                                 const QString &body, int timeoutMs)
{
    send(sendFrame(conversationId, clientMsgId, body));
    const QJsonObject reply = nextWhere(
        [&](const QJsonObject &o) {
            const QString type = o.value(QStringLiteral("type")).toString();
            if (type == u"ack")
                return o.value(QStringLiteral("client_msg_id")).toString() == clientMsgId;
            return type == u"error" && o.value(QStringLiteral("ref")).toString() == clientMsgId;
        },
        timeoutMs);
    if (reply.value(QStringLiteral("type")).toString() != u"ack")
        return {};
    return reply.value(QStringLiteral("message")).toObject();
}

bool WsClient::roundTrip(int timeoutMs)
{
    const QString ts = QStringLiteral("rt-%1").arg(++m_pingCounter);
    send({{QStringLiteral("type"), QStringLiteral("ping")}, {QStringLiteral("ts"), ts}});
    return !nextWhere(
                [&](const QJsonObject &o) {
                    return o.value(QStringLiteral("type")).toString() == u"pong"
                           && o.value(QStringLiteral("ts")).toString() == ts;
                },
                timeoutMs)
                .isEmpty();
}

QList<QJsonObject> WsClient::received(const QString &type) const
{
    QList<QJsonObject> out;
    for (const QJsonObject &o : m_all)
        if (o.value(QStringLiteral("type")).toString() == type)
            out.push_back(o);
    return out;
}

bool WsClient::waitClosed(int timeoutMs)
{
    return spinUntil([this] { return m_closed; }, timeoutMs);
}

} // namespace sanayicin::test
