#pragma once

// A TCP proxy between a client and PostgreSQL that loses a COMMIT's answer
// on purpose: for the writer's tests of a commit whose outcome it never
// heard. It runs on the thread that creates it (the test's, whose QTRY loops
// turn its event loop). Plain text only: the client must not ask for TLS.

#include <QByteArray>
#include <QHostAddress>
#include <QObject>
#include <QPointer>
#include <QTcpServer>
#include <QTcpSocket>
#include <list>

namespace sanayicin::test {

class CommitCuttingProxy : public QObject
{
public:
    enum class Mode {
        Forward,        // a plain proxy
        HoldAfterCommit, // forward the COMMIT, then nothing back until cutClient()
        DropCommit,     // never forward the COMMIT: drop both sides at once
    };

    bool start(quint16 upstreamPort)
    {
        m_upstreamPort = upstreamPort;
        connect(&m_server, &QTcpServer::newConnection, this, &CommitCuttingProxy::accept);
        return m_server.listen(QHostAddress::LocalHost, 0);
    }
    quint16 port() const { return m_server.serverPort(); }

    // Applies to the next COMMIT seen on any connection, once.
    void arm(Mode mode) { m_mode = mode; m_commitSeen = false; }
    bool commitSeen() const { return m_commitSeen; }
    // New connections are accepted and closed at once (the database "down").
    void setRefusing(bool refusing) { m_refusing = refusing; }
    int connections() const { return m_connections; }
    // Statements the clients sent: Parse and simple Query messages (the
    // driver sends one Parse per statement, BEGIN and COMMIT included).
    int statements() const { return m_statements; }

    // Closes the held connection's client side: its answers never arrive.
    void cutClient()
    {
        if (m_heldClient)
            m_heldClient->abort();
        if (m_heldUpstream)
            m_heldUpstream->disconnectFromHost();
    }

private:
    void accept()
    {
        while (QTcpSocket *client = m_server.nextPendingConnection()) {
            client->setParent(this);
            ++m_connections;
            if (m_refusing) {
                client->abort();
                client->deleteLater();
                continue;
            }
            auto *upstream = new QTcpSocket(this);
            Link *link = &m_links.emplace_back();
            QByteArray *tail = &link->tail;
            bool *held = &link->held;
            upstream->connectToHost(QHostAddress::LocalHost, m_upstreamPort);
            auto forwardUp = [this, client, upstream, tail, held, link] {
                if (upstream->state() != QAbstractSocket::ConnectedState)
                    return; // sent once connected
                const QByteArray data = client->readAll();
                countStatements(*link, data);
                const bool commit = m_mode != Mode::Forward
                                    && (*tail + data).contains(QByteArrayView("COMMIT\0", 7));
                *tail = data.right(6);
                if (commit && m_mode == Mode::DropCommit) {
                    m_mode = Mode::Forward;
                    m_commitSeen = true;
                    client->abort();
                    upstream->abort();
                    return;
                }
                upstream->write(data);
                if (commit) {
                    m_mode = Mode::Forward;
                    m_commitSeen = true;
                    *held = true;
                    m_heldClient = client;
                    m_heldUpstream = upstream;
                }
            };
            connect(client, &QTcpSocket::readyRead, this, forwardUp);
            connect(upstream, &QTcpSocket::connected, this, forwardUp);
            connect(upstream, &QTcpSocket::readyRead, this, [client, upstream, held] {
                const QByteArray data = upstream->readAll();
                if (!*held)
                    client->write(data);
            });
            connect(client, &QTcpSocket::disconnected, upstream, &QTcpSocket::disconnectFromHost);
            connect(upstream, &QTcpSocket::disconnected, client, &QTcpSocket::disconnectFromHost);
        }
    }

    struct Link
    {
        QByteArray tail; // the client's last bytes: a COMMIT split across reads
        bool held = false; // nothing goes back to the client any more
        QByteArray unread; // the start of a message not yet complete
        bool started = false; // the startup message (no type byte) is past
    };

    // Frames the client's messages: a type byte and a length that counts
    // itself; the first message has no type byte.
    void countStatements(Link &link, const QByteArray &data)
    {
        link.unread += data;
        for (;;) {
            const qsizetype at = link.started ? 1 : 0;
            if (link.unread.size() < at + 4)
                return;
            const auto *p = reinterpret_cast<const uchar *>(link.unread.constData()) + at;
            const qsizetype length = (qsizetype(p[0]) << 24) | (p[1] << 16) | (p[2] << 8) | p[3];
            if (length < 4) { // not the protocol: stop counting this link
                link.unread.clear();
                return;
            }
            if (link.unread.size() < at + length)
                return;
            if (link.started && (link.unread[0] == 'P' || link.unread[0] == 'Q'))
                ++m_statements;
            link.unread.remove(0, at + length);
            // An SSL or GSS encryption request (8 bytes) comes before the
            // startup message, untyped too.
            link.started = link.started || length != 8;
        }
    }

    std::list<Link> m_links; // one per connection, kept as long as the proxy
    QTcpServer m_server;
    quint16 m_upstreamPort = 0;
    Mode m_mode = Mode::Forward;
    bool m_commitSeen = false;
    bool m_refusing = false;
    int m_connections = 0;
    int m_statements = 0;
    QPointer<QTcpSocket> m_heldClient, m_heldUpstream;
};

} // namespace sanayicin::test
