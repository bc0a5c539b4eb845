#include "webhook_receiver.h"

#include <QTcpSocket>

namespace sanayicin::test {

WebhookReceiver::WebhookReceiver()
{
    m_server.listen(QHostAddress::LocalHost, 0);
    connect(&m_server, &QTcpServer::newConnection, this, &WebhookReceiver::onConnection);
}

QString WebhookReceiver::url(const QByteArray &pathAndQuery) const
{
    return QStringLiteral("http://127.0.0.1:%1").arg(port()) + QString::fromLatin1(pathAndQuery);
}

void WebhookReceiver::onConnection()
{
    while (QTcpSocket *socket = m_server.nextPendingConnection()) {
        connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
        auto buffer = std::make_shared<QByteArray>();
        connect(socket, &QTcpSocket::readyRead, this, [this, socket, buffer] {
            buffer->append(socket->readAll());
            const qsizetype end = buffer->indexOf("\r\n\r\n");
            if (end < 0)
                return;
            Request r;
            const QList<QByteArray> lines = buffer->left(end).split('\n');
            const QList<QByteArray> first = lines.value(0).trimmed().split(' ');
            r.method = first.value(0);
            r.target = first.value(1);
            for (qsizetype i = 1; i < lines.size(); ++i) {
                const qsizetype colon = lines[i].indexOf(':');
                if (colon > 0)
                    r.headers.insert(lines[i].left(colon).trimmed().toLower(),
                                     lines[i].mid(colon + 1).trimmed());
            }
            const qsizetype length = r.headers.value("content-length").toLongLong();
            if (buffer->size() < end + 4 + length)
                return;
            r.body = buffer->mid(end + 4, length);
            buffer->clear();
            requests << r;
            if (status == 0)
                return; // the sender waits until its deadline
            socket->write("HTTP/1.1 " + QByteArray::number(status) + " X\r\nContent-Length: "
                          + QByteArray::number(bodyBytes) + "\r\nConnection: close\r\n\r\n"
                          + QByteArray(bodyBytes, 'k'));
            socket->disconnectFromHost();
        });
    }
}

} // namespace sanayicin::test
