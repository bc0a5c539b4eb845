#pragma once

// A server that speaks just enough RESP to pass for a sentinel that lags
// behind: it names whichever master it is told to (SENTINEL
// get-master-addr-by-name), accepts AUTH, PING and SUBSCRIBE, and never
// publishes a +switch-master. A real sentinel names a demoted master only
// for a while (cut off during a failover, or not yet told); this one does
// so for as long as a test needs, and counts how often it was asked.

#include <QHash>
#include <QHostAddress>
#include <QList>
#include <QTcpServer>
#include <QTcpSocket>

namespace sanayicin::test {

class LaggingSentinel
{
public:
    LaggingSentinel()
    {
        QObject::connect(&m_server, &QTcpServer::newConnection, &m_server, [this] {
            while (QTcpSocket *s = m_server.nextPendingConnection()) {
                QObject::connect(s, &QTcpSocket::readyRead, s, [this, s] { serve(s); });
                QObject::connect(s, &QTcpSocket::disconnected, s, [this, s] {
                    m_buffers.remove(s);
                    s->deleteLater();
                });
            }
        });
    }

    bool listen() { return m_server.listen(QHostAddress::LocalHost); }
    quint16 port() const { return m_server.serverPort(); }
    void name(quint16 masterPort) { m_masterPort = masterPort; }
    int questions() const { return m_questions; }

private:
    // One command of the RESP array form hiredis sends, taken off the front
    // of `buffer`; false while it is incomplete.
    static bool takeCommand(QByteArray &buffer, QList<QByteArray> &args)
    {
        qsizetype pos = 0;
        auto line = [&](char kind, qsizetype &value) {
            const qsizetype end = buffer.indexOf("\r\n", pos);
            if (end < 0 || buffer.at(pos) != kind)
                return false;
            value = buffer.mid(pos + 1, end - pos - 1).toLongLong();
            pos = end + 2;
            return true;
        };
        qsizetype count = 0;
        if (buffer.isEmpty() || !line('*', count))
            return false;
        args.clear();
        for (qsizetype i = 0; i < count; ++i) {
            qsizetype length = 0;
            if (pos >= buffer.size() || !line('$', length) || buffer.size() < pos + length + 2)
                return false;
            args << buffer.mid(pos, length);
            pos += length + 2;
        }
        buffer.remove(0, pos);
        return true;
    }

    static QByteArray bulk(const QByteArray &s) { return '$' + QByteArray::number(s.size()) + "\r\n" + s + "\r\n"; }

    void serve(QTcpSocket *s)
    {
        QByteArray &buffer = m_buffers[s];
        buffer += s->readAll();
        QList<QByteArray> args;
        while (takeCommand(buffer, args)) {
            const QByteArray command = args.value(0).toUpper();
            if (command == "SENTINEL") {
                ++m_questions;
                s->write("*2\r\n" + bulk("127.0.0.1") + bulk(QByteArray::number(m_masterPort)));
            } else if (command == "SUBSCRIBE") {
                for (qsizetype i = 1; i < args.size(); ++i)
                    s->write("*3\r\n" + bulk("subscribe") + bulk(args[i]) + ':' + QByteArray::number(i) + "\r\n");
            } else if (command == "PING") {
                s->write("+PONG\r\n");
            } else if (command == "AUTH") {
                s->write("+OK\r\n");
            } else {
                s->write("-ERR unknown command\r\n");
            }
        }
    }

    // Before the server: its sockets, destroyed with it, still remove
    // their buffers.
    QHash<QTcpSocket *, QByteArray> m_buffers;
    QTcpServer m_server;
    quint16 m_masterPort = 0;
    int m_questions = 0;
};

} // namespace sanayicin::test
