#pragma once

#include "ws_frame_parser.h"
#include "ws_transport.h"

#include <QByteArray>
#include <QSocketNotifier>
#include <QDeadlineTimer>
#include <QTimer>
#include <QList>
#include <memory>

namespace sanayicin {

// RFC 6455, server side, on a socket descriptor taken over after the upgrade
// request: frames are parsed from and written to the descriptor directly.
// Per connection it keeps a descriptor, one read notifier and, only while
// something is unread or unsent, the bytes in question: an idle connection
// costs a few hundred bytes (QWebSocket costs about 18 KB), and outgoing
// frames are written from the bytes every recipient shares, without the
// UTF-8 to UTF-16 and back that QWebSocket::sendTextMessage does. Frames
// are read by WsFrameParser (pure, fuzzed); this class only moves bytes.
class NativeWsTransport final : public WsTransport, private WsFrameParser::Sink
{
public:
    NativeWsTransport(int fd, QByteArray authorization, QString peer, qint64 frameLimit);
    ~NativeWsTransport() override;

    void sendText(const QByteArray &utf8) override;
    qint64 pendingBytes() const override { return m_outBytes; }
    void close(int code, const QString &reason) override;
    void abort() override;
    void ping() override;
    QString peerAddress() const override { return m_peer; }
    QByteArray authorizationHeader() const override { return m_authorization; }

    // The handshake answer for a Sec-WebSocket-Key (RFC 6455, 4.2.2).
    static QByteArray acceptKey(const QByteArray &clientKey);

private:
    void onReadable();
    void onWritable();
    void sendFrame(quint8 opcode, const QByteArray &payload);
    void queue(QByteArray bytes, qsizetype alreadyWritten);
    void fail(int code, const char *reason); // protocol error: close with `code`
    void closeAfterCloseFrame(int closeCode); // both sides said close: hang up
    void discardWhileLingering();
    void finish(int closeCode);              // descriptor closed, report once

    // WsFrameParser::Sink
    bool onMessage(bool text, QByteArray payload) override;
    bool onPing(QByteArray payload) override;
    bool onPong(QByteArray payload) override;
    bool onClose(int code, QByteArray reason) override;
    void onError(int code, const char *reason) override;

    int m_fd;
    std::unique_ptr<QSocketNotifier> m_readNotifier;
    std::unique_ptr<QSocketNotifier> m_writeNotifier;
    QByteArray m_authorization;
    QString m_peer;

    WsFrameParser m_parser; // holds a partial frame or message, nothing while idle
    QList<QByteArray> m_out;      // not yet written, oldest first (QList: no
                                  // allocation while empty, unlike std::deque)
    qsizetype m_outOffset = 0;    // of m_out.front()
    qint64 m_outBytes = 0;

    // Only while a connection we failed lingers (see fail()): a pointer per
    // connection otherwise.
    struct Linger
    {
        QTimer timer;
        QDeadlineTimer end;
        int code = 0;
    };
    std::unique_ptr<Linger> m_linger;

    bool m_closeSent = false;
    bool m_finished = false;
    int m_peerCloseCode = 1006;
};

} // namespace sanayicin
