#include "raw_ws.h"

#include <QDeadlineTimer>
#include <QEventLoop>
#include <QRandomGenerator>
#include <QTimer>
#include <QtEndian>

namespace sanayicin::test {

namespace {

template<typename F>
bool spin(F done, int timeoutMs)
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

int RawWebSocket::Frame::closeCode() const
{
    if (opcode != 8 || payload.size() < 2)
        return -1;
    return (uchar(payload[0]) << 8) | uchar(payload[1]);
}

bool RawWebSocket::open(quint16 port, const QString &headerToken, int timeoutMs)
{
    m_socket.connectToHost(QStringLiteral("127.0.0.1"), port);
    if (!spin([this] { return m_socket.state() == QAbstractSocket::ConnectedState
                              || m_socket.state() == QAbstractSocket::UnconnectedState; },
              timeoutMs)
        || m_socket.state() != QAbstractSocket::ConnectedState)
        return false;
    QByteArray request = "GET /ws HTTP/1.1\r\n"
                         "Host: 127.0.0.1:" + QByteArray::number(port) + "\r\n"
                         "Upgrade: " + m_upgrade + "\r\n"
                         "Connection: " + m_connection + "\r\n"
                         "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                         "Sec-WebSocket-Version: 13\r\n";
    if (!headerToken.isEmpty())
        request += "Authorization: Bearer " + headerToken.toUtf8() + "\r\n";
    request += "\r\n";
    m_socket.write(request);
    qsizetype end = -1;
    spin([&] {
        m_buffer += m_socket.readAll();
        end = m_buffer.indexOf("\r\n\r\n");
        return end >= 0 || m_socket.state() != QAbstractSocket::ConnectedState;
    },
         timeoutMs);
    if (end < 0)
        return false;
    const QByteArray head = m_buffer.left(end);
    m_buffer.remove(0, end + 4);
    return head.startsWith("HTTP/1.1 101");
}

void RawWebSocket::stopReading()
{
    // Qt stops taking bytes from the kernel once its own buffer holds this
    // many; then the kernel buffers fill and the sender's writes back up.
    m_socket.setReadBufferSize(1);
}

void RawWebSocket::resumeReading()
{
    m_socket.setReadBufferSize(0);
}

namespace {

QByteArray header(int opcode, bool fin, quint64 n)
{
    QByteArray frame;
    frame.append(char((fin ? 0x80 : 0) | (opcode & 0x0f)));
    if (n < 126) {
        frame.append(char(0x80 | n));
    } else if (n < 65536) {
        frame.append(char(0x80 | 126));
        frame.append(char(n >> 8)).append(char(n & 0xff));
    } else {
        frame.append(char(0x80 | 127));
        for (int i = 7; i >= 0; --i)
            frame.append(char((n >> (8 * i)) & 0xff));
    }
    return frame;
}

} // namespace

void RawWebSocket::sendText(const QByteArray &utf8)
{
    sendFrame(1, utf8);
}

void RawWebSocket::sendFrame(int opcode, const QByteArray &payload, bool fin)
{
    QByteArray frame = header(opcode, fin, quint64(payload.size()));
    const quint32 mask = QRandomGenerator::global()->generate();
    char key[4];
    qToBigEndian(mask, key);
    frame.append(key, 4);
    for (qsizetype i = 0; i < payload.size(); ++i)
        frame.append(char(payload[i] ^ key[i % 4]));
    m_socket.write(frame);
}

void RawWebSocket::sendHeaderOnly(int opcode, quint64 length)
{
    QByteArray frame = header(opcode, true, length);
    frame.append("\x01\x02\x03\x04", 4); // the mask
    m_socket.write(frame);
}

void RawWebSocket::parse()
{
    for (;;) {
        if (m_buffer.size() < 2)
            return;
        const uchar b0 = uchar(m_buffer[0]);
        const uchar b1 = uchar(m_buffer[1]);
        qsizetype pos = 2;
        quint64 len = b1 & 0x7f;
        if (len == 126) {
            if (m_buffer.size() < 4)
                return;
            len = (quint64(uchar(m_buffer[2])) << 8) | uchar(m_buffer[3]);
            pos = 4;
        } else if (len == 127) {
            if (m_buffer.size() < 10)
                return;
            len = 0;
            for (int i = 0; i < 8; ++i)
                len = (len << 8) | uchar(m_buffer[2 + i]);
            pos = 10;
        }
        const bool masked = b1 & 0x80;
        if (masked)
            pos += 4;
        if (quint64(m_buffer.size() - pos) < len)
            return;
        Frame f;
        f.opcode = b0 & 0x0f;
        f.payload = m_buffer.mid(pos, qsizetype(len));
        if (masked)
            for (qsizetype i = 0; i < f.payload.size(); ++i)
                f.payload[i] = char(f.payload[i] ^ m_buffer[pos - 4 + (i % 4)]);
        m_buffer.remove(0, pos + qsizetype(len));
        m_frames.push_back(f);
    }
}

QList<RawWebSocket::Frame> RawWebSocket::frames()
{
    m_buffer += m_socket.readAll();
    parse();
    return m_frames;
}

int RawWebSocket::waitForClose(int timeoutMs)
{
    int code = -1;
    bool sawClose = false;
    spin([&] {
        m_buffer += m_socket.readAll();
        parse();
        for (const Frame &f : std::as_const(m_frames))
            if (f.opcode == 8) {
                sawClose = true;
                code = f.closeCode();
            }
        return sawClose || m_socket.state() == QAbstractSocket::UnconnectedState;
    },
         timeoutMs);
    return code;
}

} // namespace sanayicin::test
