#include "qt_ws_transport.h"

namespace sanayicin {

QtWsTransport::QtWsTransport(std::unique_ptr<QWebSocket> socket, qint64 frameLimit)
    : m_socket(std::move(socket))
{
    // Qt's default is about 2 GiB.
    m_socket->setMaxAllowedIncomingFrameSize(quint64(frameLimit));
    m_socket->setMaxAllowedIncomingMessageSize(quint64(frameLimit));
    QWebSocket *s = m_socket.get();
    QObject::connect(s, &QWebSocket::textMessageReceived, s, [this](const QString &text) {
        if (m_handlers.heard)
            m_handlers.heard();
        if (m_handlers.text)
            m_handlers.text(text.toUtf8());
    });
    QObject::connect(s, &QWebSocket::binaryMessageReceived, s, [this](const QByteArray &) {
        if (m_handlers.binary)
            m_handlers.binary();
    });
    QObject::connect(s, &QWebSocket::pong, s, [this](quint64, const QByteArray &) {
        if (m_handlers.heard)
            m_handlers.heard();
    });
    QObject::connect(s, &QWebSocket::disconnected, s, [this] {
        if (m_closedReported)
            return;
        m_closedReported = true;
        if (m_handlers.closed)
            m_handlers.closed(m_socket->closeCode());
    });
}

QtWsTransport::~QtWsTransport()
{
    m_socket->disconnect();
    m_socket->abort();
}

void QtWsTransport::sendText(const QByteArray &utf8)
{
    m_socket->sendTextMessage(QString::fromUtf8(utf8));
    // QWebSocket only queues; hand what the kernel takes over now, so that
    // pendingBytes() counts what the peer has not read, not what we have not
    // written yet (a sync page is written in one go).
    if (m_socket->bytesToWrite() > 64 * 1024)
        m_socket->flush();
}

void QtWsTransport::close(int code, const QString &reason)
{
    m_socket->close(QWebSocketProtocol::CloseCode(code), reason);
}

void QtWsTransport::abort()
{
    m_socket->abort();
}

} // namespace sanayicin
