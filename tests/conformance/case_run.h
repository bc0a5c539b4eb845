#pragma once

#include "conformance_case.h"

#include <QElapsedTimer>
#include <QObject>
#include <QTcpSocket>
#include <QTimer>

namespace sanayicin::conformance {

// What a case saw, and its verdict (as Autobahn grades: OK when the replies
// and the close are what a strict reading of RFC 6455 asks, NON-STRICT when
// the replies match the case's lenient alternative, e.g. a failure found
// only at the end of a message instead of at the offending fragment).
struct Outcome
{
    QString verdict; // OK, NON-STRICT, FAILED, INFORMATIONAL
    QString detail;
    QStringList replies;
    int closeCode = -1; // the server's close frame; -1 none, 1005 empty
    qint64 elapsedMs = 0;
};

// Runs one case on its own connection: upgrade with a bearer token, wait for
// hello, play the actions, then close (or answer the server's close) and wait
// for the TCP connection to end.
class CaseRun : public QObject
{
    Q_OBJECT
public:
    CaseRun(const Case &c, quint16 port, const QString &token, QObject *parent = nullptr);
    void start();
    const Outcome &outcome() const { return m_outcome; }
    const Case &testCase() const { return m_case; }

Q_SIGNALS:
    void finished();

private:
    void onReadyRead();
    void onFrame(int opcode, const QByteArray &payload);
    void nextAction();
    void sendChopped(const QByteArray &bytes, qsizetype from, int chop, int gapMs);
    void settle();
    void beginClosing();
    void finish(const QString &why = {});
    void grade();
    bool open() const { return !m_serverClosed && !m_tcpEnded; }
    void sendCloseFrame(int code);

    Case m_case;
    quint16 m_port;
    QString m_token;
    QTcpSocket m_socket;
    QByteArray m_in;
    int m_fragmentOpcode = 0; // of a server message still in fragments
    QByteArray m_fragments;
    bool m_upgraded = false;
    bool m_hello = false;
    int m_next = 0;
    int m_roundTripsLeft = 0;
    QByteArray m_roundTripBytes;
    bool m_settling = false;
    bool m_closing = false;
    bool m_done = false;
    bool m_weSentClose = false;
    bool m_serverClosed = false;
    bool m_serverFirst = false;
    bool m_tcpEnded = false;
    bool m_framesAfterClose = false;
    QString m_abort;
    QElapsedTimer m_clock;
    qint64 m_lastReplyMs = 0;
    qint64 m_settleStartMs = 0;
    QTimer m_poll;
    QTimer m_deadline;
    Outcome m_outcome;
};

} // namespace sanayicin::conformance
