#include "http_connection.h"

#include "http_server.h"

#include <QTimerEvent>
#include <sys/socket.h>

namespace sanayicin {

namespace {

HttpResponse framingError(int status, const char *message)
{
    const ErrorCode code = status == 400 ? ErrorCode::BadRequest : ErrorCode::TooLarge;
    return HttpResponse::error({code, QString::fromLatin1(message)}, status);
}

} // namespace

HttpConnection::HttpConnection(QTcpSocket *socket, const Settings &settings,
                               ConnectionTicket ticket)
    : QObject(socket), m_socket(socket), m_settings(settings), m_framer(settings.framing)
    , m_ticket(std::move(ticket))
{
    socket->setReadBufferSize(readBufferSize(settings.framing));
    // Before QtHttpServer's handler: attach() comes after it connects.
    connect(socket, &QTcpSocket::readyRead, this, &HttpConnection::beforeQt);
    m_idleTimer.start(m_settings.idleTimeoutMs, this);
}

qint64 HttpConnection::readBufferSize(const FramingLimits &limits)
{
    return limits.largestRequest() + 4096;
}

void HttpConnection::attach(HttpServer *server)
{
    m_server = server;
    connect(m_socket, &QTcpSocket::readyRead, this, &HttpConnection::afterQt);
}

void HttpConnection::touch()
{
    if (m_state == State::Open)
        m_idleTimer.start(m_settings.idleTimeoutMs, this);
}

qint64 HttpConnection::consumedByQt() const
{
    return m_arrived - m_socket->bytesAvailable();
}

void HttpConnection::beforeQt()
{
    if (m_state == State::Upgraded)
        return;
    if (m_state != State::Open) {
        dropInput();
        return;
    }
    // What QtHttpServer left unread last time is still at the front of the
    // buffer; anything past it is new.
    const qint64 available = m_socket->bytesAvailable();
    const qint64 fresh = std::max<qint64>(0, available - m_unconsumed);
    if (fresh > 0) {
        thread_local QByteArray scratch;
        if (scratch.size() < available)
            scratch.resize(available);
        const qint64 got = m_socket->peek(scratch.data(), available);
        const qint64 tail = std::clamp<qint64>(got - (available - fresh), 0, fresh);
        m_arrived += fresh;
        if (!m_framer.feed(QByteArrayView(scratch.constData() + (got - tail), tail))
            && !m_refusal)
            refuseAtBoundary(framingError(m_framer.status(), m_framer.message()));
    }
    m_unconsumed = available;
    updateRequestDeadline();
    if (m_refusal && consumedByQt() >= m_refusalCut)
        refuseNow();
}

void HttpConnection::afterQt()
{
    if (m_state != State::Open)
        return;
    m_unconsumed = m_socket->bytesAvailable();
    // QtHttpServer parses one request per readyRead, so it cannot have gone
    // past the end of the last good request.
    if (m_refusal && consumedByQt() >= m_refusalCut)
        refuseNow();
}

void HttpConnection::updateRequestDeadline()
{
    if (m_state != State::Open || m_paused || m_refusal)
        return;
    if (!m_framer.midRequest())
        m_requestTimer.stop();
    else if (!m_requestTimer.isActive())
        m_requestTimer.start(m_settings.requestTimeoutMs, this);
}

void HttpConnection::refuse(const HttpResponse &response)
{
    if (m_state != State::Open || m_refusal)
        return;
    refuseAtBoundary(response);
    if (consumedByQt() >= m_refusalCut)
        refuseNow();
}

// The complete requests before the offending one still get their answers:
// the refusal waits until QtHttpServer has read up to its first byte.
void HttpConnection::refuseAtBoundary(const HttpResponse &response)
{
    m_refusal = response;
    m_refusalCut = m_framer.boundary();
    m_requestTimer.stop();
}

void HttpConnection::refuseNow()
{
    const HttpResponse response = std::move(*m_refusal);
    m_refusal.reset();
    m_state = State::Refused;
    m_idleTimer.stop();
    m_requestTimer.stop();
    resume();
    // QtHttpServer reads no further request from this socket.
    if (m_server)
        QObject::disconnect(m_socket, &QTcpSocket::readyRead, m_server.data(), nullptr);
    dropInput();
    if (m_server)
        m_server->queueRefusal(m_socket, response);
    else
        m_socket->abort();
}

void HttpConnection::dropInput()
{
    if (m_socket->isTransactionStarted())
        m_socket->commitTransaction();
    const qint64 n = m_socket->bytesAvailable();
    if (n > 0)
        m_socket->skip(n);
    m_unconsumed = 0;
}

// Closing at once with unread input would make the kernel reset the
// connection, and the client could lose the response before reading it.
// So: send FIN after the response, discard what still comes, close when the
// client does or after the linger time.
void HttpConnection::lingerAndClose()
{
    if (m_state == State::Lingering || m_state == State::Upgraded)
        return;
    m_state = State::Lingering;
    m_idleTimer.stop();
    m_requestTimer.stop();
    if (m_settings.lingerMs <= 0) {
        m_socket->disconnectFromHost();
        return;
    }
    m_lingerTimer.start(m_settings.lingerMs, this);
    if (m_socket->bytesToWrite() == 0) {
        shutdownWrite();
        return;
    }
    connect(m_socket, &QTcpSocket::bytesWritten, this, [this] {
        if (m_socket->bytesToWrite() == 0)
            shutdownWrite();
    });
}

void HttpConnection::shutdownWrite()
{
    const qintptr fd = m_socket->socketDescriptor();
    if (fd >= 0)
        ::shutdown(int(fd), SHUT_WR);
}

void HttpConnection::pause()
{
    if (m_paused || m_state != State::Open)
        return;
    // Blocking the socket's signals keeps QtHttpServer from reading the next
    // request (it reads one per readyRead). The socket still fills its read
    // buffer up to its limit; then TCP pushes back on the client.
    m_paused = true;
    m_socket->blockSignals(true);
    m_requestTimer.stop();
    m_pauseTimer.start(50, this);
}

void HttpConnection::resume()
{
    if (!m_paused)
        return;
    m_paused = false;
    m_pauseTimer.stop();
    m_socket->blockSignals(false);
    if (m_socket->state() == QAbstractSocket::UnconnectedState) {
        // Its disconnected() went unheard: do what QtHttpServer would have.
        m_socket->deleteLater();
        return;
    }
    QMetaObject::invokeMethod(m_socket, &QAbstractSocket::readyRead, Qt::QueuedConnection);
    updateRequestDeadline();
}

void HttpConnection::detachForUpgrade()
{
    m_state = State::Upgraded;
    m_refusal.reset();
    m_idleTimer.stop();
    m_requestTimer.stop();
    m_lingerTimer.stop();
    m_pauseTimer.stop();
    if (m_paused) {
        m_paused = false;
        m_socket->blockSignals(false);
    }
    disconnect(m_socket, nullptr, this, nullptr);
    // QWebSocket reads frames through this socket: no HTTP limit on it.
    m_socket->setReadBufferSize(0);
}

void HttpConnection::timerEvent(QTimerEvent *event)
{
    const int id = event->timerId();
    if (id == m_idleTimer.timerId()) {
        m_idleTimer.stop();
        resume();
        // A client that does not read what it asked for is not waited for.
        if (m_socket->bytesToWrite() > 0)
            m_socket->abort();
        else
            m_socket->disconnectFromHost();
    } else if (id == m_requestTimer.timerId()) {
        m_requestTimer.stop();
        if (m_state == State::Open && m_framer.midRequest() && !m_refusal)
            refuse(HttpResponse::error(
                ApiError::badRequest(QStringLiteral("the request did not arrive in time")), 408));
    } else if (id == m_lingerTimer.timerId()) {
        m_lingerTimer.stop();
        m_socket->abort();
    } else if (id == m_pauseTimer.timerId()) {
        if (m_socket->state() == QAbstractSocket::UnconnectedState
            || (m_server && m_server->mayResume(m_socket)))
            resume();
    } else {
        QObject::timerEvent(event);
    }
}

} // namespace sanayicin
