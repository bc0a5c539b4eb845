#pragma once

#include <QByteArray>
#include <QList>
#include <QTcpSocket>

namespace sanayicin::test {

// A WebSocket spoken by hand over a QTcpSocket, for what QWebSocket will not
// do: stop reading altogether, or look at the raw frames and close codes.
class RawWebSocket
{
public:
    struct Frame
    {
        int opcode = 0; // 1 text, 2 binary, 8 close, 9 ping, 10 pong
        QByteArray payload;
        int closeCode() const; // for a close frame; -1 if it has none
    };

    // Connects, sends the upgrade request (with the token as a bearer header
    // when given) and waits for the 101 answer. Bytes after the answer stay
    // buffered for frames().
    bool open(quint16 port, const QString &headerToken = {}, int timeoutMs = 10000);
    // The Upgrade and Connection header lines open() sends (by default
    // "Upgrade: websocket" and "Connection: Upgrade"), as other clients
    // write them, e.g. Firefox's "Connection: keep-alive, Upgrade".
    void setUpgradeHeaders(const QByteArray &upgrade, const QByteArray &connection)
    {
        m_upgrade = upgrade;
        m_connection = connection;
    }
    // From now on the socket reads (almost) nothing: the kernel buffers fill
    // and the server's writes back up.
    void stopReading();
    // Reads again, without limit.
    void resumeReading();
    // A masked text frame.
    void sendText(const QByteArray &utf8);
    // Any masked frame: opcode 0 continuation, 1 text, 2 binary, 8 close,
    // 9 ping, 10 pong; `fin` false for all but the last fragment.
    void sendFrame(int opcode, const QByteArray &payload, bool fin = true);
    // Only a frame header announcing `length` bytes of payload (none sent).
    void sendHeaderOnly(int opcode, quint64 length);
    // Frames complete so far (reading what the socket has); keeps any
    // partial frame for later.
    QList<Frame> frames();
    // Waits until a close frame arrives or the connection ends; returns the
    // close frame's code, or -1 when none came.
    int waitForClose(int timeoutMs = 10000);
    QTcpSocket &socket() { return m_socket; }

private:
    void parse();

    QTcpSocket m_socket;
    QByteArray m_buffer;
    QList<Frame> m_frames;
    QByteArray m_upgrade = "websocket";
    QByteArray m_connection = "Upgrade";
};

} // namespace sanayicin::test
