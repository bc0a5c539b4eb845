#include "admin_stream.h"

#include "admin_client.h"
#include "logging/log.h"

#include <QDateTime>
#include <QJsonDocument>
#include <QNetworkRequest>
#include <QRandomGenerator>
#include <QUrlQuery>

using namespace Qt::StringLiterals;

namespace sanayicin::console {

namespace {

// Close codes after which trying again at once is pointless: the token
// ended or the account may not watch (docs/protocol.md, "Admin stream").
bool refusedByServer(int code)
{
    return code == 4001 || code == 4003;
}

} // namespace

AdminStream::AdminStream(AdminClient *client, QObject *parent) : QObject(parent), m_client(client)
{
    m_retry.setSingleShot(true);
    connect(&m_retry, &QTimer::timeout, this, &AdminStream::open);
    m_silence.setSingleShot(true);
    connect(&m_silence, &QTimer::timeout, this, [this] { drop("no frame for too long"); });
    connect(&m_ping, &QTimer::timeout, this, [this] {
        if (m_socket)
            m_socket->sendTextMessage(u"{\"type\":\"ping\"}"_s);
    });
}

AdminStream::~AdminStream()
{
    stop();
}

void AdminStream::setState(State s)
{
    // Reconnecting and Polling announce every attempt (the text counts them).
    if (s == m_state && s != Reconnecting && s != Polling)
        return;
    m_state = s;
    Q_EMIT stateChanged(s);
}

QString AdminStream::statusText() const
{
    const int seconds = int(qMax<qint64>(0, (m_nextAttemptAtMs - QDateTime::currentMSecsSinceEpoch() + 999) / 1000));
    switch (m_state) {
    case Off:
        return {};
    case Connecting:
        return tr("Live updates: connecting...");
    case Live:
        return tr("Live updates: on (instance %1)").arg(m_instance);
    case Reconnecting:
        return tr("Live updates lost: reconnecting in %n second(s) (attempt %1); refreshing by polling meanwhile.",
                  nullptr, seconds)
            .arg(m_attempt);
    case Polling:
        return tr("Live updates unavailable: refreshing by polling; next try in %n second(s).", nullptr, seconds);
    }
    return {};
}

void AdminStream::start()
{
    if (m_state != Off)
        return;
    m_attempt = 0;
    m_refusedByServer = false;
    m_cursor.forget();
    setState(Connecting);
    open();
}

void AdminStream::stop()
{
    m_retry.stop();
    m_silence.stop();
    m_ping.stop();
    if (QWebSocket *s = std::exchange(m_socket, nullptr)) {
        s->disconnect(this);
        s->close();
        s->deleteLater();
    }
    m_cursor.forget();
    m_instance.clear();
    setState(Off);
}

void AdminStream::open()
{
    if (m_socket || m_state == Off)
        return;
    QUrl url = m_client->webSocketUrl(u"/ws/admin"_s);
    if (m_cursor.canResume()) {
        QUrlQuery q;
        q.addQueryItem(u"stream"_s, m_cursor.stream());
        q.addQueryItem(u"after"_s, QString::number(m_cursor.lastSeq()));
        url.setQuery(q);
    }
    QNetworkRequest request(url);
    // The token as the REST client sends it, on the upgrade request.
    request.setRawHeader("Authorization", "Bearer " + m_client->token().toLatin1());
    m_socket = new QWebSocket(QString(), QWebSocketProtocol::VersionLatest, this);
    if (url.scheme() == u"wss"_s)
        m_socket->setSslConfiguration(m_client->sslConfiguration());
    m_socket->setMaxAllowedIncomingMessageSize(quint64(StreamFrameParser::kMaxFrameBytes));
    m_socket->setMaxAllowedIncomingFrameSize(quint64(StreamFrameParser::kMaxFrameBytes));
    connect(m_socket, &QWebSocket::textMessageReceived, this, &AdminStream::onText);
    connect(m_socket, &QWebSocket::binaryMessageReceived, this, [this] { drop("a binary message"); });
    connect(m_socket, &QWebSocket::disconnected, this, &AdminStream::onDisconnected);
    m_silence.start(m_silenceMs);
    m_socket->open(request);
}

void AdminStream::onText(const QString &text)
{
    m_silence.start(m_silenceMs);
    QString why;
    const std::optional<StreamFrame> frame = StreamFrameParser::parse(text.toUtf8(), &why);
    if (!frame) {
        ++m_refused;
        qCWarning(lcApp) << "admin stream: refused a frame:" << why;
        drop("a malformed frame");
        return;
    }
    const QString askedStream = m_cursor.stream();
    const qint64 askedAfter = m_cursor.lastSeq();
    switch (m_cursor.accept(*frame)) {
    case StreamCursor::Apply:
        break;
    case StreamCursor::Duplicate:
        return;
    case StreamCursor::Gap:
        qCWarning(lcApp) << "admin stream: seq" << frame->seq << "after" << m_cursor.lastSeq() << "; resuming";
        drop("a frame was missed");
        return;
    case StreamCursor::Violation:
        ++m_refused;
        drop("frames out of the protocol's order");
        return;
    }
    if (frame->type == StreamFrame::Welcome) {
        m_instance = frame->instance;
        m_attempt = 0;
        m_refusedByServer = false;
        m_ping.start(frame->heartbeatS * 1000);
        setState(Live);
        // Resumed means: the stream asked, from the seq asked, nothing missed.
        const bool resumed = frame->resumed && frame->stream == askedStream && frame->seq == askedAfter;
        qCInfo(lcApp) << "admin stream: live on" << m_instance << (resumed ? "(resumed)" : "(new)");
        if (!resumed)
            Q_EMIT reloadNeeded();
        return;
    }
    dispatch(*frame);
}

void AdminStream::dispatch(const StreamFrame &frame)
{
    switch (frame.type) {
    case StreamFrame::Tick:
        Q_EMIT tick(frame);
        break;
    case StreamFrame::ReportFiled:
        Q_EMIT reportFiled(frame.object);
        break;
    case StreamFrame::ReportResolved:
        Q_EMIT reportResolved(frame.object);
        break;
    case StreamFrame::Moderation:
        Q_EMIT moderationEntry(frame.object);
        break;
    case StreamFrame::Connections:
        Q_EMIT connectionsChanged(frame.opened, frame.closed);
        break;
    case StreamFrame::ConnectionsReset:
        Q_EMIT connectionsReset();
        break;
    case StreamFrame::Error:
        // A close follows when it matters; the code tells the log why.
        qCWarning(lcApp) << "admin stream: the server said" << frame.code;
        break;
    case StreamFrame::Welcome:
    case StreamFrame::Pong:
    case StreamFrame::Unknown:
        break;
    }
}

void AdminStream::drop(const char *why)
{
    if (!m_socket)
        return;
    qCWarning(lcApp) << "admin stream: closing:" << why;
    QWebSocket *s = std::exchange(m_socket, nullptr);
    s->disconnect(this);
    s->abort();
    s->deleteLater();
    afterClose();
}

void AdminStream::onDisconnected()
{
    QWebSocket *s = std::exchange(m_socket, nullptr);
    if (!s)
        return;
    const int code = int(s->closeCode());
    if (refusedByServer(code))
        m_refusedByServer = true;
    qCWarning(lcApp) << "admin stream: closed," << code << s->closeReason().left(100) << s->errorString();
    s->disconnect(this);
    s->deleteLater();
    afterClose();
}

void AdminStream::afterClose()
{
    m_cursor.disconnected();
    m_silence.stop();
    m_ping.stop();
    scheduleAttempt();
}

void AdminStream::scheduleAttempt()
{
    if (m_state == Off)
        return;
    ++m_attempt;
    const int base = qMin(m_backoffMaxMs, 1000 << qMin(m_attempt - 1, 5));
    const int delay = m_refusedByServer ? m_backoffMaxMs
                                        : base + int(QRandomGenerator::global()->bounded(base / 5 + 1));
    m_nextAttemptAtMs = QDateTime::currentMSecsSinceEpoch() + delay;
    m_retry.start(delay);
    setState(m_refusedByServer || m_attempt > m_attemptsBeforePolling ? Polling : Reconnecting);
}

} // namespace sanayicin::console
