#pragma once

#include "stream_frame_parser.h"

#include <QObject>
#include <QTimer>
#include <QUrl>
#include <QWebSocket>

namespace sanayicin::console {

class AdminClient;

// The console's end of the admin stream (GET /ws/admin): opened once the
// session is online, with the token and TLS settings of the REST client;
// each frame parsed, checked against the stream's seq, and handed to the
// views by a signal. After a drop it reconnects with backoff and resumes
// (stream id and last seq); when the server cannot resume, it says that the
// listings must be reloaded. While it is not live the views poll.
class AdminStream : public QObject
{
    Q_OBJECT
public:
    enum State {
        Off,          // not started (logged out, or turned off in the settings)
        Connecting,   // the first opening
        Live,         // welcome received: the views follow the stream
        Reconnecting, // dropped: the next attempt after the backoff
        Polling,      // the server refuses the stream or it failed again and
                      // again: the views poll; retried every maxBackoff
    };
    Q_ENUM(State)

    explicit AdminStream(AdminClient *client, QObject *parent = nullptr);
    ~AdminStream() override;

    void start();
    void stop();

    State state() const { return m_state; }
    // The instance the stream is opened to (welcome.instance), when live.
    QString instance() const { return m_instance; }
    int attempt() const { return m_attempt; }
    // When the next attempt is (ms since the epoch), while not live.
    qint64 nextAttemptAtMs() const { return m_nextAttemptAtMs; }
    // Frames refused (malformed, out of order) since the start, for tests
    // and the log.
    int refusedFrames() const { return m_refused; }
    QString statusText() const;

    // Backoff between attempts: 1 s doubling to at most `maxMs`.
    void setBackoffLimitMs(int maxMs) { m_backoffMaxMs = maxMs; }
    // Failed attempts in a row before the state says "polling".
    void setAttemptsBeforePolling(int n) { m_attemptsBeforePolling = n; }
    // Without any frame for this long (ticks come every second), the
    // connection is taken as dead.
    void setSilenceLimitMs(int ms) { m_silenceMs = ms; }

Q_SIGNALS:
    void stateChanged(sanayicin::console::AdminStream::State state);
    // The stream could not be resumed (or is new): listings must be loaded
    // again, and the events after this apply to them.
    void reloadNeeded();
    void tick(const sanayicin::console::StreamFrame &frame);
    void reportFiled(const QJsonObject &report);
    void reportResolved(const QJsonObject &report);
    void moderationEntry(const QJsonObject &entry);
    void connectionsChanged(const QJsonArray &opened, const QList<sanayicin::console::StreamConnectionRef> &closed);
    void connectionsReset();

private:
    void open();
    void onText(const QString &text);
    void onDisconnected();
    void dispatch(const StreamFrame &frame);
    void drop(const char *why);
    void afterClose();
    void scheduleAttempt();
    void setState(State s);

    AdminClient *m_client;
    QWebSocket *m_socket = nullptr;
    StreamCursor m_cursor;
    State m_state = Off;
    QString m_instance;
    QTimer m_retry;
    QTimer m_silence;
    QTimer m_ping;
    int m_attempt = 0;
    int m_backoffMaxMs = 30000;
    int m_attemptsBeforePolling = 3;
    int m_silenceMs = 10000;
    qint64 m_nextAttemptAtMs = 0;
    int m_refused = 0;
    bool m_refusedByServer = false; // 4001, 4003: polling will tell the session
};

} // namespace sanayicin::console
