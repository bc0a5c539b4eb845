#include "case_run.h"

#include "../support/ws_frame_builder.h"

#include <QCryptographicHash>
#include <QJsonDocument>
#include <QJsonObject>

namespace sanayicin::conformance {

namespace {
constexpr int kQuietMs = 150;      // after the last expected reply, for extra ones
constexpr int kFailWaitMs = 3000;  // for the server to fail the connection
constexpr int kTcpEndMs = 3000;    // for the TCP connection to end after the close
} // namespace

CaseRun::CaseRun(const Case &c, quint16 port, const QString &token, QObject *parent)
    : QObject(parent), m_case(c), m_port(port), m_token(token)
{
    connect(&m_socket, &QTcpSocket::connected, this, [this] {
        m_socket.setSocketOption(QAbstractSocket::LowDelayOption, 1);
        m_socket.write("GET /ws HTTP/1.1\r\nHost: 127.0.0.1:" + QByteArray::number(m_port)
                       + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                         "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
                         "Authorization: Bearer "
                       + m_token.toUtf8() + "\r\n\r\n");
    });
    connect(&m_socket, &QTcpSocket::readyRead, this, &CaseRun::onReadyRead);
    connect(&m_socket, &QTcpSocket::disconnected, this, [this] {
        onReadyRead(); // anything left before the end
        m_tcpEnded = true;
        if (m_roundTripsLeft > 0) {
            m_roundTripsLeft = 0;
            nextAction();
        }
        if (!m_hello)
            finish(QStringLiteral("connection ended before hello"));
        else if (m_closing || m_settling || m_next >= m_case.actions.size())
            finish();
    });
    m_poll.setInterval(20);
    connect(&m_poll, &QTimer::timeout, this, &CaseRun::settle);
    m_deadline.setSingleShot(true);
    connect(&m_deadline, &QTimer::timeout, this, [this] { finish(QStringLiteral("case timed out")); });
}

void CaseRun::start()
{
    m_clock.start();
    m_deadline.start(m_case.big ? 120000 : 20000);
    m_socket.connectToHost(QStringLiteral("127.0.0.1"), m_port);
}

void CaseRun::onReadyRead()
{
    if (m_done || !m_socket.isOpen())
        return;
    m_in += m_socket.readAll();
    if (!m_upgraded) {
        const qsizetype end = m_in.indexOf("\r\n\r\n");
        if (end < 0)
            return;
        if (!m_in.startsWith("HTTP/1.1 101")) {
            finish(QStringLiteral("upgrade refused: ") + QString::fromLatin1(m_in.left(m_in.indexOf('\r'))));
            return;
        }
        m_in.remove(0, end + 4);
        m_upgraded = true;
    }
    // Server frames: never masked (a masked one is a failure of its own).
    for (;;) {
        if (m_in.size() < 2)
            return;
        const auto b0 = quint8(m_in[0]), b1 = quint8(m_in[1]);
        qsizetype pos = 2;
        quint64 len = b1 & 0x7f;
        if (len == 126) {
            if (m_in.size() < 4)
                return;
            len = quint64(quint8(m_in[2])) << 8 | quint8(m_in[3]);
            pos = 4;
        } else if (len == 127) {
            if (m_in.size() < 10)
                return;
            len = 0;
            for (int i = 0; i < 8; ++i)
                len = len << 8 | quint8(m_in[2 + i]);
            pos = 10;
        }
        if (b1 & 0x80) {
            finish(QStringLiteral("the server sent a masked frame"));
            return;
        }
        if (len > (quint64(1) << 30)) {
            finish(QStringLiteral("the server announced %1 bytes").arg(len));
            return;
        }
        if (quint64(m_in.size() - pos) < len)
            return;
        if (b0 & 0x70) {
            finish(QStringLiteral("the server set reserved bits"));
            return;
        }
        const QByteArray payload = m_in.mid(pos, qsizetype(len));
        m_in.remove(0, pos + qsizetype(len));
        // A server may fragment its messages (QtWebSockets does past 512 KiB).
        const int opcode = b0 & 0x0f;
        const bool fin = b0 & 0x80;
        if (opcode == 0 || (opcode < 8 && !fin)) {
            if ((opcode == 0) != (m_fragmentOpcode != 0)) {
                finish(QStringLiteral("the server fragmented a message wrongly"));
                return;
            }
            if (opcode != 0)
                m_fragmentOpcode = opcode;
            m_fragments += payload;
            if (!fin)
                continue;
            const int whole = std::exchange(m_fragmentOpcode, 0);
            onFrame(whole, std::exchange(m_fragments, QByteArray()));
        } else {
            onFrame(opcode, payload);
        }
        if (m_done)
            return;
    }
}

void CaseRun::onFrame(int opcode, const QByteArray &payload)
{
    if (opcode == 8) {
        if (m_serverClosed) {
            m_framesAfterClose = true;
            return;
        }
        m_serverClosed = true;
        m_outcome.closeCode = payload.size() >= 2 ? (quint8(payload[0]) << 8 | quint8(payload[1])) : 1005;
        if (!m_weSentClose) {
            m_serverFirst = true;
            // Answer as a client does: echo the code.
            sendCloseFrame(m_outcome.closeCode == 1005 ? -1 : m_outcome.closeCode);
        }
        if (m_roundTripsLeft > 0) {
            m_roundTripsLeft = 0;
            nextAction();
        }
        return;
    }
    if (m_serverClosed) {
        m_framesAfterClose = true;
        return;
    }
    if (opcode == 9)
        return; // a heartbeat; not part of any case
    QString reply;
    if (opcode == 10) {
        reply = QStringLiteral("pong:") + QString::fromLatin1(payload.toHex());
    } else if (opcode == 1) {
        const QJsonObject o = QJsonDocument::fromJson(payload).object();
        const QString type = o.value(QStringLiteral("type")).toString();
        if (!m_hello) {
            if (type != u"hello") {
                finish(QStringLiteral("first frame is not hello: ") + QString::fromUtf8(payload.left(200)));
                return;
            }
            m_hello = true;
            nextAction();
            return;
        }
        if (type == u"pong") {
            const QByteArray ts = o.value(QStringLiteral("ts")).toString().toUtf8();
            reply = QStringLiteral("json-pong:%1:%2")
                        .arg(ts.size())
                        .arg(QString::fromLatin1(
                            QCryptographicHash::hash(ts, QCryptographicHash::Sha1).toHex().left(16)));
        } else if (type == u"error") {
            reply = QStringLiteral("error:") + o.value(QStringLiteral("code")).toString();
        } else {
            reply = QStringLiteral("text:") + type;
        }
    } else {
        reply = QStringLiteral("opcode:%1").arg(opcode);
    }
    m_outcome.replies << reply;
    m_lastReplyMs = m_clock.elapsed();
    if (m_roundTripsLeft > 0) {
        if (--m_roundTripsLeft > 0) {
            m_socket.write(m_roundTripBytes);
        } else {
            nextAction();
        }
    }
}

void CaseRun::nextAction()
{
    if (m_done)
        return;
    if (m_next >= m_case.actions.size()) {
        m_settleStartMs = m_clock.elapsed();
        m_settling = true;
        m_poll.start();
        return;
    }
    const Action a = m_case.actions[m_next++];
    switch (a.kind) {
    case Action::Mark:
        if (open())
            m_outcome.replies << QStringLiteral("mark:") + a.name;
        nextAction();
        return;
    case Action::Wait:
        QTimer::singleShot(a.gapMs, this, &CaseRun::nextAction);
        return;
    case Action::Send:
        break;
    }
    if (!open()) { // as Autobahn: nothing is sent once the server has closed
        nextAction();
        return;
    }
    if (m_case.clientClosed)
        m_weSentClose = true; // the case's own close frame is in its first send
    if (a.name.startsWith(u"roundtrips:")) {
        m_roundTripsLeft = a.name.mid(11).toInt();
        m_roundTripBytes = a.bytes;
        m_socket.write(a.bytes);
        return; // onFrame sends the next one and moves on after the last
    }
    if (a.chop <= 0) {
        m_socket.write(a.bytes);
        m_socket.flush();
        QTimer::singleShot(0, this, &CaseRun::nextAction);
        return;
    }
    sendChopped(a.bytes, 0, a.chop, a.gapMs);
}

void CaseRun::sendChopped(const QByteArray &bytes, qsizetype from, int chop, int gapMs)
{
    if (m_done)
        return;
    if (gapMs <= 0) {
        for (qsizetype i = from; i < bytes.size(); i += chop) {
            m_socket.write(bytes.mid(i, chop));
            m_socket.flush();
        }
        QTimer::singleShot(0, this, &CaseRun::nextAction);
        return;
    }
    if (from >= bytes.size() || !open()) {
        nextAction();
        return;
    }
    m_socket.write(bytes.mid(from, chop));
    m_socket.flush();
    QTimer::singleShot(gapMs, this, [=, this] { sendChopped(bytes, from + chop, chop, gapMs); });
}

void CaseRun::settle()
{
    if (m_done || m_closing)
        return;
    const qint64 now = m_clock.elapsed();
    const qint64 waited = now - m_settleStartMs;
    bool done = false;
    if (m_serverClosed || m_tcpEnded) {
        done = true;
    } else if (m_case.serverCloses) {
        done = waited >= std::max(kFailWaitMs, m_case.settleMs);
    } else {
        qsizetype want = m_case.ok.size();
        if (m_case.nonStrict)
            want = std::max(want, m_case.nonStrict->size());
        const bool enough = m_outcome.replies.size() >= want && now - m_lastReplyMs >= kQuietMs
                            && waited >= kQuietMs;
        done = enough || waited >= m_case.settleMs;
    }
    if (done)
        beginClosing();
}

void CaseRun::beginClosing()
{
    m_poll.stop();
    m_closing = true;
    if (m_tcpEnded) {
        finish();
        return;
    }
    if (!m_weSentClose && !m_serverClosed)
        sendCloseFrame(1000);
    QTimer::singleShot(kTcpEndMs, this, [this] { finish(); });
}

void CaseRun::sendCloseFrame(int code)
{
    m_weSentClose = true;
    m_socket.write(test::wsFrame(8, code < 0 ? QByteArray() : test::wsClosePayload(code)));
    m_socket.flush();
}

void CaseRun::finish(const QString &why)
{
    if (m_done)
        return;
    m_done = true;
    m_abort = why;
    m_poll.stop();
    m_deadline.stop();
    m_outcome.elapsedMs = m_clock.elapsed();
    grade();
    m_socket.abort();
    Q_EMIT finished();
}

void CaseRun::grade()
{
    Outcome &o = m_outcome;
    QString framesVerdict;
    if (o.replies == m_case.ok)
        framesVerdict = QStringLiteral("OK");
    else if (m_case.nonStrict && o.replies == *m_case.nonStrict)
        framesVerdict = QStringLiteral("NON-STRICT");
    else
        framesVerdict = QStringLiteral("FAILED");

    QStringList problems;
    if (!m_abort.isEmpty())
        problems << m_abort;
    if (framesVerdict == u"FAILED") {
        QStringList shown = o.replies.mid(0, 4);
        if (o.replies.size() > 4)
            shown << QStringLiteral("... (%1 in all)").arg(o.replies.size());
        problems << QStringLiteral("replies [%1], expected %2").arg(shown.join(u", ")).arg(m_case.ok.size());
    }
    if (m_framesAfterClose)
        problems << QStringLiteral("frames after the server's close frame");
    if (!m_serverClosed)
        problems << QStringLiteral("no close frame from the server");
    else if (!m_case.closeCodes.contains(o.closeCode))
        problems << QStringLiteral("close code %1").arg(o.closeCode);
    if (m_serverClosed && m_serverFirst != m_case.serverCloses)
        problems << (m_serverFirst ? QStringLiteral("the server closed first")
                                   : QStringLiteral("the server did not fail the connection"));
    if (!m_tcpEnded)
        problems << QStringLiteral("the TCP connection did not end");

    if (m_case.informational) {
        o.verdict = QStringLiteral("INFORMATIONAL");
        o.detail = framesVerdict == u"OK" ? QStringLiteral("answered before the close")
                   : framesVerdict == u"NON-STRICT" ? QStringLiteral("close processed first")
                                                    : problems.join(u"; ");
        return;
    }
    if (!problems.isEmpty()) {
        o.verdict = QStringLiteral("FAILED");
        o.detail = problems.join(u"; ");
    } else if (framesVerdict == u"NON-STRICT") {
        o.verdict = QStringLiteral("NON-STRICT");
        o.detail = QStringLiteral("replies [%1]").arg(o.replies.join(u", "));
    } else {
        o.verdict = QStringLiteral("OK");
        o.detail = o.closeCode >= 0 ? QStringLiteral("close %1").arg(o.closeCode) : QString();
    }
}

} // namespace sanayicin::conformance
