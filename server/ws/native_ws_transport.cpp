#include "native_ws_transport.h"

#include "text/utf8.h"

#include <QCryptographicHash>
#include <cerrno>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

namespace sanayicin {

namespace {

enum Opcode : quint8 {
    Continuation = 0x0,
    Text = 0x1,
    Binary = 0x2,
    Close = 0x8,
    Ping = 0x9,
    Pong = 0xa,
};

constexpr qsizetype kReadChunk = 64 * 1024;
constexpr int kMaxReadsPerWakeup = 16; // fairness between connections

// 2 to 10 bytes: FIN, opcode and an unmasked length (servers never mask).
qsizetype frameHeader(char *out, quint8 opcode, quint64 length)
{
    out[0] = char(0x80 | opcode);
    if (length < 126) {
        out[1] = char(length);
        return 2;
    }
    if (length <= 0xffff) {
        out[1] = char(126);
        out[2] = char(length >> 8);
        out[3] = char(length);
        return 4;
    }
    out[1] = char(127);
    for (int i = 0; i < 8; ++i)
        out[2 + i] = char(length >> (56 - 8 * i));
    return 10;
}

} // namespace

QByteArray NativeWsTransport::acceptKey(const QByteArray &clientKey)
{
    return QCryptographicHash::hash(clientKey.trimmed() + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11",
                                    QCryptographicHash::Sha1)
        .toBase64();
}

NativeWsTransport::NativeWsTransport(int fd, QByteArray authorization, QString peer,
                                     qint64 frameLimit)
    : m_fd(fd), m_authorization(std::move(authorization)), m_peer(std::move(peer))
    , m_frameLimit(frameLimit)
{
    m_readNotifier = std::make_unique<QSocketNotifier>(qintptr(fd), QSocketNotifier::Read);
    QObject::connect(m_readNotifier.get(), &QSocketNotifier::activated, m_readNotifier.get(),
                     [this] { onReadable(); });
}

NativeWsTransport::~NativeWsTransport()
{
    m_readNotifier.reset();
    m_writeNotifier.reset();
    if (m_fd >= 0)
        ::close(m_fd);
}

void NativeWsTransport::onReadable()
{
    for (int i = 0; i < kMaxReadsPerWakeup && !m_finished; ++i) {
        const qsizetype old = m_in.size();
        m_in.resize(old + kReadChunk);
        const ssize_t n = ::recv(m_fd, m_in.data() + old, size_t(kReadChunk), 0);
        if (n > 0) {
            m_in.resize(old + n);
            if (!parseFrames())
                return;
            if (n < kReadChunk)
                break; // drained
            continue;
        }
        m_in.resize(old);
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR))
            break;
        finish(m_peerCloseCode); // EOF or an error
        return;
    }
    if (m_in.isEmpty())
        m_in = QByteArray(); // an idle connection holds no buffer
}

bool NativeWsTransport::parseFrames()
{
    qsizetype pos = 0;
    const auto *b = reinterpret_cast<const quint8 *>(m_in.constData());
    while (!m_finished) {
        const qsizetype avail = m_in.size() - pos;
        if (avail < 2)
            break;
        const quint8 b0 = b[pos], b1 = b[pos + 1];
        const bool fin = b0 & 0x80;
        const quint8 opcode = b0 & 0x0f;
        if (b0 & 0x70) {
            fail(1002, "reserved bits set");
            return false;
        }
        if (!(b1 & 0x80)) {
            fail(1002, "client frames must be masked");
            return false;
        }
        quint64 length = b1 & 0x7f;
        qsizetype header = 2;
        if (length == 126) {
            if (avail < 4)
                break;
            length = (quint64(b[pos + 2]) << 8) | b[pos + 3];
            header = 4;
        } else if (length == 127) {
            if (avail < 10)
                break;
            length = 0;
            for (int i = 0; i < 8; ++i)
                length = (length << 8) | b[pos + 2 + i];
            header = 10;
        }
        if (opcode >= Close && (!fin || length > 125)) {
            fail(1002, "bad control frame");
            return false;
        }
        // Refuse an oversized message from its header: never read it in.
        if (opcode < Close && quint64(m_message.size()) + length > quint64(m_frameLimit)) {
            fail(1009, "frame too big");
            return false;
        }
        if (quint64(avail) < quint64(header) + 4 + length)
            break;
        const quint8 *mask = b + pos + header;
        QByteArray payload(m_in.constData() + pos + header + 4, qsizetype(length));
        char *p = payload.data();
        for (qsizetype i = 0; i < qsizetype(length); ++i)
            p[i] = char(p[i] ^ mask[i & 3]);
        pos += header + 4 + qsizetype(length);
        if (!handleFrame(opcode, fin, std::move(payload)))
            return false;
        b = reinterpret_cast<const quint8 *>(m_in.constData());
    }
    if (m_finished)
        return false;
    m_in.remove(0, pos);
    return true;
}

bool NativeWsTransport::handleFrame(quint8 opcode, bool fin, QByteArray payload)
{
    if (m_handlers.heard)
        m_handlers.heard();
    switch (opcode) {
    case Continuation:
    case Text:
    case Binary: {
        if (opcode == Continuation) {
            if (m_messageOpcode == 0) {
                fail(1002, "continuation without a message");
                return false;
            }
            m_message += payload;
        } else {
            if (m_messageOpcode != 0) {
                fail(1002, "new message inside a fragmented one");
                return false;
            }
            m_messageOpcode = opcode;
            m_message = std::move(payload);
        }
        if (!fin)
            return true;
        const quint8 kind = m_messageOpcode;
        const QByteArray message = std::move(m_message);
        m_message = QByteArray();
        m_messageOpcode = 0;
        if (m_closeSent)
            return true; // closing: data is ignored
        if (kind == Binary) {
            if (m_handlers.binary)
                m_handlers.binary();
            return !m_finished;
        }
        if (!isValidUtf8(message)) {
            fail(1007, "text is not UTF-8");
            return false;
        }
        if (m_handlers.text)
            m_handlers.text(message);
        return !m_finished;
    }
    case Ping:
        if (!m_closeSent)
            sendFrame(Pong, payload);
        return true;
    case Pong:
        return true;
    case Close: {
        int code = 1005; // no status in the frame
        if (payload.size() >= 2)
            code = (quint8(payload[0]) << 8) | quint8(payload[1]);
        m_peerCloseCode = code;
        if (!m_closeSent) {
            // Echo the peer's code, as RFC 6455 5.5.1 asks.
            QByteArray echo;
            if (payload.size() >= 2)
                echo = payload.left(2);
            sendFrame(Close, echo);
            m_closeSent = true;
        }
        onWritable(); // try to get the close frame out, then hang up
        finish(code);
        return false;
    }
    default:
        fail(1002, "unknown opcode");
        return false;
    }
}

void NativeWsTransport::sendText(const QByteArray &utf8)
{
    if (m_closeSent || m_finished)
        return;
    sendFrame(Text, utf8);
}

void NativeWsTransport::ping()
{
    if (!m_closeSent && !m_finished)
        sendFrame(Ping, QByteArray());
}

void NativeWsTransport::sendFrame(quint8 opcode, const QByteArray &payload)
{
    char header[10];
    const qsizetype headerSize = frameHeader(header, opcode, quint64(payload.size()));
    if (!m_out.empty()) {
        queue(QByteArray(header, headerSize), 0);
        queue(payload, 0); // shared with every other recipient, not copied
        return;
    }
    iovec iov[2] = {{header, size_t(headerSize)},
                    {const_cast<char *>(payload.constData()), size_t(payload.size())}};
    ssize_t n = ::writev(m_fd, iov, payload.isEmpty() ? 1 : 2);
    if (n < 0) {
        if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) {
            finish(1006);
            return;
        }
        n = 0;
    }
    if (n < headerSize) {
        queue(QByteArray(header + n, headerSize - n), 0);
        queue(payload, 0);
    } else if (n < headerSize + payload.size()) {
        queue(payload, n - headerSize);
    }
}

void NativeWsTransport::queue(QByteArray bytes, qsizetype alreadyWritten)
{
    if (alreadyWritten > 0)
        bytes.remove(0, alreadyWritten); // a partial write: rare, a copy is fine
    if (bytes.isEmpty())
        return;
    m_outBytes += bytes.size();
    m_out.push_back(std::move(bytes));
    if (!m_writeNotifier) {
        m_writeNotifier = std::make_unique<QSocketNotifier>(qintptr(m_fd), QSocketNotifier::Write);
        QObject::connect(m_writeNotifier.get(), &QSocketNotifier::activated, m_writeNotifier.get(),
                         [this] { onWritable(); });
    }
    m_writeNotifier->setEnabled(true);
}

void NativeWsTransport::onWritable()
{
    while (!m_out.empty() && !m_finished) {
        iovec iov[16];
        int count = 0;
        for (auto it = m_out.begin(); it != m_out.end() && count < 16; ++it, ++count) {
            const qsizetype skip = count == 0 ? m_outOffset : 0;
            iov[count] = {const_cast<char *>(it->constData()) + skip, size_t(it->size() - skip)};
        }
        ssize_t n = ::writev(m_fd, iov, count);
        if (n < 0) {
            if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)
                return;
            finish(1006);
            return;
        }
        m_outBytes -= n;
        while (n > 0 && !m_out.empty()) {
            const qsizetype left = m_out.front().size() - m_outOffset;
            if (n >= left) {
                n -= left;
                m_out.removeFirst();
                m_outOffset = 0;
            } else {
                m_outOffset += n;
                n = 0;
            }
        }
    }
    if (m_out.empty() && m_writeNotifier)
        m_writeNotifier->setEnabled(false);
}

void NativeWsTransport::close(int code, const QString &reason)
{
    if (m_closeSent || m_finished)
        return;
    QByteArray payload;
    payload += char(code >> 8);
    payload += char(code & 0xff);
    payload += reason.toUtf8().left(123);
    sendFrame(Close, payload);
    m_closeSent = true;
    // Half-close once the frame is out; the peer answers and hangs up, and
    // the connection's deadline aborts a peer that does not.
    if (m_out.empty())
        ::shutdown(m_fd, SHUT_WR);
}

void NativeWsTransport::fail(int code, const char *reason)
{
    close(code, QString::fromLatin1(reason));
    onWritable();
    finish(code);
}

void NativeWsTransport::abort()
{
    finish(m_peerCloseCode);
}

void NativeWsTransport::finish(int closeCode)
{
    if (m_finished)
        return;
    m_finished = true;
    m_readNotifier->setEnabled(false);
    if (m_writeNotifier)
        m_writeNotifier->setEnabled(false);
    ::close(m_fd);
    m_fd = -1;
    m_out = QList<QByteArray>();
    m_outBytes = 0;
    if (m_handlers.closed)
        m_handlers.closed(closeCode);
}

} // namespace sanayicin
