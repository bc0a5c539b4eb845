#include "native_ws_transport.h"

#include <QCryptographicHash>
#include <QTimer>
#include <algorithm>
#include <memory>
#include <cerrno>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

namespace sanayicin {

namespace {

// Opcodes the server sends.
enum Opcode : quint8 {
    Text = 0x1,
    Close = 0x8,
    Ping = 0x9,
    Pong = 0xa,
};

constexpr qsizetype kReadChunk = 64 * 1024;
constexpr int kMaxReadsPerWakeup = 16; // fairness between connections
// After our close frame, what the peer already sent is read and dropped, up
// to this much, before the descriptor is closed: closing with unread bytes
// would reset the connection, and a reset can reach the peer before it has
// read our close frame. Bounded, so a peer that keeps sending costs nothing.
constexpr qsizetype kDrainOnClose = 256 * 1024;
// How long a connection we failed keeps reading (and dropping) what the peer
// still sends, so that the peer gets our close frame (see fail()).
constexpr int kLingerMs = 2000;
constexpr int kLingerIdleMs = 200;

// One read buffer per network thread, shared by all its connections: the
// parser keeps what it needs, so a connection holds no buffer between reads.
char *readBuffer()
{
    static thread_local std::unique_ptr<char[]> buffer(new char[kReadChunk]);
    return buffer.get();
}

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
    , m_parser(quint64(std::max<qint64>(frameLimit, 0)))
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
    // Each round reads bytes and the parser takes all of them, or the
    // connection ends: a wake-up never loops without consuming.
    if (m_linger) {
        discardWhileLingering();
        return;
    }
    char *buffer = readBuffer();
    for (int i = 0; i < kMaxReadsPerWakeup && !m_finished && !m_linger; ++i) {
        const ssize_t n = ::recv(m_fd, buffer, size_t(kReadChunk), 0);
        if (n > 0) {
            m_parser.feed(buffer, qsizetype(n), *this);
            if (m_finished || m_linger || n < kReadChunk)
                return; // finished or failed by a frame, or drained
            continue;
        }
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR))
            return;
        finish(m_peerCloseCode); // EOF or an error
        return;
    }
}

bool NativeWsTransport::onMessage(bool text, QByteArray payload)
{
    if (m_handlers.heard)
        m_handlers.heard();
    if (m_closeSent)
        return true; // closing: data is ignored
    if (!text) {
        if (m_handlers.binary)
            m_handlers.binary();
    } else if (m_handlers.text) {
        m_handlers.text(payload);
    }
    return !m_finished;
}

bool NativeWsTransport::onPing(QByteArray payload)
{
    if (m_handlers.heard)
        m_handlers.heard();
    if (!m_closeSent)
        sendFrame(Pong, payload);
    return !m_finished;
}

bool NativeWsTransport::onPong(QByteArray)
{
    if (m_handlers.heard)
        m_handlers.heard();
    return !m_finished;
}

bool NativeWsTransport::onClose(int code, QByteArray)
{
    m_peerCloseCode = code;
    if (!m_closeSent) {
        // Echo the peer's code, as RFC 6455 5.5.1 asks (none if it gave none).
        QByteArray echo;
        if (code != WsFrameParser::kNoStatus) {
            echo += char(code >> 8);
            echo += char(code & 0xff);
        }
        sendFrame(Close, echo);
        m_closeSent = true;
    }
    closeAfterCloseFrame(code);
    return false;
}

void NativeWsTransport::onError(int code, const char *reason)
{
    fail(code, reason);
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
    if (m_out.empty() && m_writeNotifier) {
        m_writeNotifier->setEnabled(false);
        if (m_closeSent && !m_finished)
            ::shutdown(m_fd, SHUT_WR); // the close frame is out (see close())
    }
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
    if (m_finished)
        return;
    // A lingering close: the peer may still be sending (an attacker's flood,
    // or a client's frames in flight); closing now, with bytes unread, would
    // reset the connection, and a reset can destroy our close frame before
    // the peer reads it. So the write side is shut and whatever arrives is
    // read and dropped (no buffer grows) until the peer hangs up, falls
    // quiet for kLingerIdleMs (it has answered our close frame), or kLingerMs
    // pass. The connection is reported closed then.
    ::shutdown(m_fd, SHUT_WR);
    m_linger = std::make_unique<Linger>();
    m_linger->code = code;
    m_linger->end.setRemainingTime(kLingerMs);
    m_linger->timer.setSingleShot(true);
    QObject::connect(&m_linger->timer, &QTimer::timeout, &m_linger->timer,
                     [this] { finish(m_linger->code); });
    m_linger->timer.start(kLingerIdleMs);
}

void NativeWsTransport::discardWhileLingering()
{
    char *buffer = readBuffer();
    for (int i = 0; i < kMaxReadsPerWakeup; ++i) {
        const ssize_t n = ::recv(m_fd, buffer, size_t(kReadChunk), 0);
        if (n > 0) {
            m_linger->timer.start(int(std::min<qint64>(kLingerIdleMs, m_linger->end.remainingTime())));
            continue;
        }
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR))
            return;
        finish(m_linger->code); // the peer hung up (or the connection broke)
        return;
    }
}

void NativeWsTransport::closeAfterCloseFrame(int closeCode)
{
    if (m_finished)
        return;
    onWritable(); // what the socket takes now; the rest is dropped
    if (!m_finished) {
        ::shutdown(m_fd, SHUT_WR);
        char *buffer = readBuffer();
        for (qsizetype drained = 0; drained < kDrainOnClose;) {
            const ssize_t n = ::recv(m_fd, buffer, size_t(kReadChunk), MSG_DONTWAIT);
            if (n <= 0)
                break;
            drained += n;
        }
    }
    finish(closeCode);
}

void NativeWsTransport::abort()
{
    finish(m_linger ? m_linger->code : m_peerCloseCode);
}

void NativeWsTransport::finish(int closeCode)
{
    if (m_finished)
        return;
    m_finished = true;
    m_readNotifier->setEnabled(false);
    if (m_writeNotifier)
        m_writeNotifier->setEnabled(false);
    if (m_linger)
        m_linger->timer.stop();
    ::close(m_fd);
    m_fd = -1;
    m_out = QList<QByteArray>();
    m_outBytes = 0;
    if (m_handlers.closed)
        m_handlers.closed(closeCode);
}

} // namespace sanayicin
