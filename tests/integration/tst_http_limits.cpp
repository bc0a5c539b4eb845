// What the daemon does with hostile or unusual HTTP, against the real
// daemon: request framing and size limits enforced before anything is
// buffered (and the daemon's memory staying flat under a 300 MiB body),
// slow requests, pipelining without reading, connection caps, running out
// of file descriptors, the operations listener, /readyz's cached probe,
// budgets on every path, security headers, /ws without "Connection:
// upgrade", form-encoded queries and 64-bit path ids.

#include "daemon_process.h"
#include "http_client.h"
#include "process_stats.h"
#include "raw_ws.h"
#include "test_env.h"
#include "ws_client.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QRegularExpression>
#include <QTcpSocket>
#include <QtTest>
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

using namespace sanayicin::test;

namespace {

struct Response
{
    int status = 0; // 0: none
    QList<std::pair<QByteArray, QByteArray>> headers;
    QByteArray body;

    QByteArray header(const QByteArray &name) const
    {
        for (const auto &[n, v] : headers)
            if (n.compare(name, Qt::CaseInsensitive) == 0)
                return v;
        return {};
    }
    QString errorCode() const
    {
        return QJsonDocument::fromJson(body).object().value(QStringLiteral("error")).toObject()
            .value(QStringLiteral("code")).toString();
    }
};

// The status line and headers of a response (without the blank line).
Response parseHead(const QByteArray &head)
{
    Response r;
    const QList<QByteArray> lines = head.split('\n');
    r.status = lines.value(0).mid(9, 3).toInt();
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const QByteArray line = lines[i].trimmed();
        const qsizetype colon = line.indexOf(':');
        r.headers.push_back({line.left(colon), line.mid(colon + 1).trimmed()});
    }
    return r;
}

// Plain HTTP/1.1 over a socket, for what QNetworkAccessManager will not send.
class RawHttp
{
public:
    bool connect(quint16 port)
    {
        m_socket.connectToHost(QStringLiteral("127.0.0.1"), port);
        return m_socket.waitForConnected(5000);
    }
    void send(const QByteArray &bytes)
    {
        m_socket.write(bytes);
        m_socket.flush();
    }
    // Takes one response out of what has arrived, if complete.
    std::optional<Response> take()
    {
        m_in += m_socket.readAll();
        const qsizetype end = m_in.indexOf("\r\n\r\n");
        if (end < 0)
            return std::nullopt;
        Response r = parseHead(m_in.left(end));
        const qsizetype length = r.header("Content-Length").toLongLong();
        if (m_in.size() < end + 4 + length)
            return std::nullopt;
        r.body = m_in.mid(end + 4, length);
        m_in.remove(0, end + 4 + length);
        return r;
    }
    Response next(int timeoutMs = 10000)
    {
        QElapsedTimer t;
        t.start();
        while (t.elapsed() < timeoutMs) {
            if (auto r = take())
                return *r;
            if (m_socket.state() != QAbstractSocket::ConnectedState && !m_socket.bytesAvailable())
                break;
            m_socket.waitForReadyRead(50);
        }
        if (auto r = take())
            return *r;
        return {};
    }
    bool waitClosed(int timeoutMs = 10000)
    {
        QElapsedTimer t;
        t.start();
        while (t.elapsed() < timeoutMs) {
            m_in += m_socket.readAll();
            if (m_socket.state() == QAbstractSocket::UnconnectedState)
                return true;
            m_socket.waitForReadyRead(50);
        }
        return m_socket.state() == QAbstractSocket::UnconnectedState;
    }
    QTcpSocket &socket() { return m_socket; }

private:
    QTcpSocket m_socket;
    QByteArray m_in;
};

Response once(quint16 port, const QByteArray &request, int timeoutMs = 10000)
{
    RawHttp h;
    if (!h.connect(port))
        return {};
    h.send(request);
    return h.next(timeoutMs);
}

// Opens n connections that each had a request answered (so the daemon has
// them all), appended to `held`.
bool holdConnections(quint16 port, int n, std::vector<std::unique_ptr<RawHttp>> &held)
{
    for (int i = 0; i < n; ++i) {
        held.push_back(std::make_unique<RawHttp>());
        if (!held.back()->connect(port))
            return false;
        held.back()->send("GET /healthz HTTP/1.1\r\nHost: t\r\n\r\n");
        if (held.back()->next().status != 200)
            return false;
    }
    return true;
}

QByteArray get(const QByteArray &target, const QByteArray &extra = {})
{
    return "GET " + target + " HTTP/1.1\r\nHost: t\r\n" + extra + "\r\n";
}

double metric(quint16 port, const QByteArray &sample, const QByteArray &auth = {})
{
    const Response r = once(port, get("/metrics", auth));
    for (const QByteArray &line : r.body.split('\n'))
        if (line.startsWith(sample + ' '))
            return line.mid(sample.size() + 1).toDouble();
    return -1;
}

bool hasSecurityHeaders(const Response &r)
{
    return r.header("Content-Security-Policy").contains("default-src 'none'")
           && r.header("Content-Security-Policy").contains("frame-ancestors 'none'")
           && r.header("X-Frame-Options") == "DENY" && r.header("X-Content-Type-Options") == "nosniff"
           && r.header("Referrer-Policy") == "no-referrer";
}

QString describe(const Response &r)
{
    return QStringLiteral("%1 %2").arg(r.status).arg(QString::fromUtf8(r.body.left(300)));
}

// Sends `head`, then `size` bytes made of `piece()`, all of them whatever
// comes back (as a client that writes its whole request before it reads,
// like Python's requests), reading along; returns the first response
// (status 0: none). Plain sockets: QTcpSocket stops sending once the other
// side has sent FIN, which the daemon does after its error response.
Response sendHuge(quint16 port, const QByteArray &head, qint64 size,
                  const std::function<QByteArray()> &piece)
{
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in sa{};
    sa.sin_family = AF_INET;
    sa.sin_port = htons(port);
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (fd < 0 || ::connect(fd, reinterpret_cast<sockaddr *>(&sa), sizeof sa) != 0)
        return {};
    ::fcntl(fd, F_SETFL, O_NONBLOCK);
    QByteArray out = head;
    qint64 sent = -head.size();
    QByteArray in;
    bool writing = true;
    QElapsedTimer t;
    t.start();
    while (t.elapsed() < 120000) {
        if (writing && out.isEmpty()) {
            if (sent >= size)
                writing = false;
            else
                out = piece();
        }
        pollfd p{fd, short(POLLIN | (writing ? POLLOUT : 0)), 0};
        if (::poll(&p, 1, 100) < 0)
            break;
        if (p.revents & POLLOUT) {
            const ssize_t n = ::send(fd, out.constData(), size_t(out.size()), MSG_NOSIGNAL);
            if (n < 0 && errno != EAGAIN)
                writing = false; // the daemon has closed: what it said is below
            if (n > 0) {
                out.remove(0, n);
                sent += n;
            }
        }
        if (p.revents & (POLLIN | POLLHUP | POLLERR)) {
            char buf[65536];
            const ssize_t n = ::recv(fd, buf, sizeof buf, 0);
            if (n > 0)
                in.append(buf, n);
            else if (n == 0 || errno != EAGAIN) {
                if (!writing || n < 0)
                    break;
            }
        }
        if (!writing && in.contains("\r\n\r\n") && t.elapsed() > 0)
            break;
    }
    ::close(fd);
    qInfo("sent %lld MiB, then read %lld bytes", sent >> 20, qint64(in.size()));
    const qsizetype end = in.indexOf("\r\n\r\n");
    if (end < 0)
        return {};
    Response r = parseHead(in.left(end));
    r.body = in.mid(end + 4, r.header("Content-Length").toLongLong());
    return r;
}

} // namespace

class tst_HttpLimits : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();

    void hugeBodiesKeepMemoryFlat();
    void framingRefusals_data();
    void framingRefusals();
    void limitsAtTheEdge();
    void refusalAfterPipelinedRequests();
    void slowRequestsGet408();
    void pipeliningWithoutReadingIsBounded();
    void perAddressCap();
    void totalCap();
    void perUserWebSocketCap();
    void forwardedWebSocketCapsAndBudget();
    void outOfDescriptorsDoesNotSpin();
    void operationsListener();
    void metricsOnlyForLoopbackWithoutOpsListener();
    void readyzPingsAtMostOncePerInterval();
    void budgetOnEveryPath();
    void securityHeadersOnEveryResponse();
    void wsWithoutConnectionUpgradeIsAnswered();
    void headHasNoBody();
    void plusIsSpaceInQueries();
    void idsUpTo2Pow63();

private:
    QString startDaemon(DaemonProcess &d, const QStringList &extra);

    DaemonProcess m_daemon;
    QTemporaryDir m_dir;
};

QString tst_HttpLimits::startDaemon(DaemonProcess &d, const QStringList &extra)
{
    QString error;
    if (!d.start(QString(), DaemonProcess::defaultArgs() << extra, error))
        return error;
    return {};
}

void tst_HttpLimits::initTestCase()
{
    const QString error = startDaemon(m_daemon, {QStringLiteral("--http-request-timeout-ms"),
                                                 QStringLiteral("1500")});
    QVERIFY2(error.isEmpty(), qPrintable(error));
}

void tst_HttpLimits::cleanupTestCase()
{
    QCOMPARE(m_daemon.terminate(), 0);
}

// Finding: a 300 MiB body cost ~900 MB of RSS before the 413. Now nothing
// past the limits is held: the daemon's RSS stays within a few MB while
// 300 MiB arrive as a Content-Length body, as a chunked body and as
// endless headers, and the client reads 413/431 all the same.
void tst_HttpLimits::hugeBodiesKeepMemoryFlat()
{
    // AddressSanitizer keeps freed memory in a quarantine (256 MB by
    // default), which would count as RSS; measure with a small one.
    const QByteArray asan = qgetenv("ASAN_OPTIONS");
    qputenv("ASAN_OPTIONS", asan + (asan.isEmpty() ? "" : ":") + "quarantine_size_mb=1");
    DaemonProcess d;
    // Linger long enough to take the whole 300 MiB after the error.
    const QString error = startDaemon(d, {QStringLiteral("--http-linger-ms"), QStringLiteral("30000")});
    qputenv("ASAN_OPTIONS", asan);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QCOMPARE(once(d.port(), get("/healthz")).status, 200);
    const qint64 before = statusKiB(d.pid(), "VmRSS");
    const qint64 peakBefore = statusKiB(d.pid(), "VmHWM");
    QVERIFY(before > 0 && peakBefore >= before);
    constexpr qint64 kSize = 300LL << 20;
    const QByteArray mib(1 << 20, 'a');

    const Response byLength = sendHuge(
        d.port(),
        "POST /api/v1/auth/login HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\n"
        "Content-Length: " + QByteArray::number(kSize) + "\r\n\r\n",
        kSize, [&] { return mib; });
    QVERIFY2(byLength.status == 413, qPrintable(describe(byLength)));
    QCOMPARE(byLength.errorCode(), QStringLiteral("too_large"));
    QCOMPARE(byLength.header("Connection"), QByteArray("close"));

    const Response byChunks = sendHuge(
        d.port(), "POST /api/v1/auth/login HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n",
        kSize, [&] { return "100000\r\n" + mib + "\r\n"; });
    QVERIFY2(byChunks.status == 413, qPrintable(describe(byChunks)));

    const QByteArray headerLines = QByteArray("X-Filler: " + QByteArray(1000, 'h') + "\r\n").repeated(1000);
    const Response byHeaders = sendHuge(d.port(), "GET / HTTP/1.1\r\nHost: t\r\n", kSize,
                                        [&] { return headerLines; });
    QVERIFY2(byHeaders.status == 431, qPrintable(describe(byHeaders)));
    QCOMPARE(byHeaders.errorCode(), QStringLiteral("too_large"));

    const qint64 after = statusKiB(d.pid(), "VmRSS");
    const qint64 peakAfter = statusKiB(d.pid(), "VmHWM");
    qInfo("RSS before %lld KiB, after 3 x 300 MiB %lld KiB; peak %lld KiB then %lld KiB", before, after,
          peakBefore, peakAfter);
    QVERIFY2(after - before < 8 * 1024, qPrintable(QStringLiteral("RSS grew by %1 KiB").arg(after - before)));
    // Not even for a moment: the peak (VmHWM) hardly moved either.
    QVERIFY2(peakAfter - peakBefore < 8 * 1024,
             qPrintable(QStringLiteral("peak RSS grew by %1 KiB").arg(peakAfter - peakBefore)));
    QCOMPARE(once(d.port(), get("/healthz")).status, 200);
    QCOMPARE(d.terminate(), 0);
}

void tst_HttpLimits::framingRefusals_data()
{
    QTest::addColumn<QByteArray>("request");
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("code");

    const QByteArray post = "POST /api/v1/auth/login HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\n";
    QTest::newRow("Content-Length and Transfer-Encoding")
        << post + "Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n" << 400 << "bad_request";
    QTest::newRow("conflicting Content-Lengths")
        << post + "Content-Length: 5\r\nContent-Length: 6\r\n\r\nabcdef" << 400 << "bad_request";
    QTest::newRow("Content-Length list") << post + "Content-Length: 2, 2\r\n\r\n{}" << 400 << "bad_request";
    QTest::newRow("Content-Length past 2^64")
        << post + "Content-Length: 18446744073709551616\r\n\r\n" << 413 << "too_large";
    QTest::newRow("gzip") << post + "Transfer-Encoding: gzip\r\n\r\n" << 400 << "bad_request";
    QTest::newRow("chunked trailer")
        << post + "Transfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\nX: y\r\n\r\n" << 400 << "bad_request";
    QTest::newRow("bad chunk size")
        << post + "Transfer-Encoding: chunked\r\n\r\nzz\r\n" << 400 << "bad_request";
    QTest::newRow("folded header") << get("/healthz", "X: a\r\n b\r\n") << 400 << "bad_request";
    QTest::newRow("bare CR") << get("/healthz", "X: a\rb\r\n") << 400 << "bad_request";
    QTest::newRow("broken escape") << get("/api/v1/tradesmen?q=%zz") << 400 << "bad_request";
    QTest::newRow("HTTP/2.0") << QByteArray("GET / HTTP/2.0\r\n\r\n") << 400 << "bad_request";
    QTest::newRow("body over the limit")
        << post + "Content-Length: 65537\r\n\r\n" << 413 << "too_large";
    QTest::newRow("request line over 8 KiB")
        << get("/" + QByteArray(9000, 'a')) << 414 << "too_large";
    QTest::newRow("header section over 16 KiB")
        << get("/healthz", QByteArray("X: " + QByteArray(4000, 'x') + "\r\n").repeated(5)) << 431
        << "too_large";
    QTest::newRow("101 header lines")
        << get("/healthz", QByteArray("X: y\r\n").repeated(101)) << 431 << "too_large";
    QTest::newRow("one header line over 8 KiB")
        << get("/healthz", "X: " + QByteArray(8200, 'x') + "\r\n") << 431 << "too_large";
}

// Refused before QtHttpServer sees the request; the JSON error of the
// contract, "Connection: close", and the connection ends.
void tst_HttpLimits::framingRefusals()
{
    QFETCH(QByteArray, request);
    QFETCH(int, status);
    QFETCH(QString, code);
    RawHttp h;
    QVERIFY(h.connect(m_daemon.port()));
    h.send(request);
    const Response r = h.next();
    QVERIFY2(r.status == status, qPrintable(describe(r)));
    QCOMPARE(r.errorCode(), code);
    QVERIFY(!QJsonDocument::fromJson(r.body).object().value(QStringLiteral("error")).toObject()
                 .value(QStringLiteral("message")).toString().isEmpty());
    QCOMPARE(r.header("Connection"), QByteArray("close"));
    QVERIFY(hasSecurityHeaders(r));
    QVERIFY(h.waitClosed(5000));
}

void tst_HttpLimits::limitsAtTheEdge()
{
    // Exactly 100 header lines (Host included) pass; 8 KiB lines too.
    QByteArray headers;
    for (int i = 0; i < 99; ++i)
        headers += "X-" + QByteArray::number(i) + ": y\r\n";
    QCOMPARE(once(m_daemon.port(), get("/healthz", headers)).status, 200);
    QCOMPARE(once(m_daemon.port(), get("/healthz", "X: " + QByteArray(8189, 'x') + "\r\n")).status, 200);
    // A request line of exactly 8 KiB (line end included) passes.
    const QByteArray head = "GET /healthz?p=";
    const QByteArray tail = " HTTP/1.1\r\n";
    const QByteArray line = head + QByteArray(8192 - head.size() - tail.size(), 'a') + tail;
    QCOMPARE(line.size(), 8192);
    QCOMPARE(once(m_daemon.port(), line + "Host: t\r\n\r\n").status, 200);
    QCOMPARE(once(m_daemon.port(), head + "a" + line.mid(head.size()) + "Host: t\r\n\r\n").status, 414);
    // A chunked body of exactly the limit is read like any other.
    const QByteArray pad(64 * 1024 - 2, ' ');
    const QByteArray body = "{" + pad + "}";
    const Response chunked = once(m_daemon.port(),
                                  "POST /api/v1/auth/login HTTP/1.1\r\nHost: t\r\nContent-Type: "
                                  "application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
                                  + QByteArray::number(body.size(), 16) + "\r\n" + body + "\r\n0\r\n\r\n");
    QVERIFY2(chunked.status == 400, qPrintable(describe(chunked))); // no username: read, then refused
    QVERIFY(chunked.body.contains("username"));
}

// The complete requests before a refused one are answered first, in order.
void tst_HttpLimits::refusalAfterPipelinedRequests()
{
    RawHttp h;
    QVERIFY(h.connect(m_daemon.port()));
    h.send(get("/healthz") + get("/api/v1/nothing") + "GET /x HTTP/1.1\r\nContent-Length: 1\r\n"
           "Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n" + get("/healthz"));
    QCOMPARE(h.next().status, 200);
    QCOMPARE(h.next().status, 404);
    const Response refused = h.next();
    QVERIFY2(refused.status == 400, qPrintable(describe(refused)));
    QVERIFY(h.waitClosed(5000));
}

// Slowloris: a request not complete --http-request-timeout-ms after its
// first byte gets 408 and the connection closes; so does a slow body.
void tst_HttpLimits::slowRequestsGet408()
{
    QElapsedTimer t;
    t.start();
    RawHttp h;
    QVERIFY(h.connect(m_daemon.port()));
    h.send("GET /healthz HTTP/1.1\r\nHost: t\r\n");
    for (int i = 0; i < 5; ++i) {
        QTest::qWait(200);
        h.send("X-Slow: " + QByteArray::number(i) + "\r\n");
    }
    const Response r = h.next(5000);
    QVERIFY2(r.status == 408, qPrintable(describe(r)));
    QCOMPARE(r.errorCode(), QStringLiteral("bad_request"));
    QVERIFY(t.elapsed() >= 1400);
    QVERIFY(h.waitClosed(5000));

    RawHttp body;
    QVERIFY(body.connect(m_daemon.port()));
    body.send("POST /api/v1/auth/login HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\n"
              "Content-Length: 20\r\n\r\n{\"user");
    QCOMPARE(body.next(5000).status, 408);

    // Idle between requests is not slow: a keep-alive connection that waits
    // longer than the request timeout still works.
    RawHttp idle;
    QVERIFY(idle.connect(m_daemon.port()));
    idle.send(get("/healthz"));
    QCOMPARE(idle.next().status, 200);
    QTest::qWait(2000);
    idle.send(get("/healthz"));
    QCOMPARE(idle.next().status, 200);
}

// A client that pipelines requests without reading the answers: the daemon
// stops reading requests once --http-pipeline-limit are owed or
// --http-unsent-limit bytes wait, and serves them all once it reads.
void tst_HttpLimits::pipeliningWithoutReadingIsBounded()
{
    DaemonProcess d;
    const QString error = startDaemon(d, {QStringLiteral("--http-pipeline-limit"), QStringLiteral("4"),
                                          QStringLiteral("--http-unsent-limit"), QStringLiteral("16384"),
                                          QStringLiteral("--http-address-burst"), QStringLiteral("100000")});
    QVERIFY2(error.isEmpty(), qPrintable(error));
    const int n = 400;
    QTcpSocket s;
    s.setReadBufferSize(1); // hardly read: the kernel buffers fill
    s.connectToHost(QStringLiteral("127.0.0.1"), d.port());
    QVERIFY(s.waitForConnected(5000));
    s.write(get("/assets/app.js").repeated(n));
    QTRY_VERIFY_WITH_TIMEOUT(metric(d.port(), "sanayicin_http_pipeline_pauses_total") >= 1, 10000);
    QTest::qWait(500);
    const double served = metric(d.port(), "sanayicin_http_requests_total{route=\"/assets/{name}\",status=\"200\"}");
    qInfo("answered while the client was not reading: %.0f of %d", served, n);
    QVERIFY(served < n);
    // Now read: every answer comes, in order.
    s.setReadBufferSize(0);
    QByteArray in;
    int responses = 0;
    QElapsedTimer t;
    t.start();
    while (responses < n && t.elapsed() < 60000) {
        s.waitForReadyRead(100);
        in += s.readAll();
        for (;;) {
            const qsizetype end = in.indexOf("\r\n\r\n");
            if (end < 0)
                break;
            const qsizetype cl = in.indexOf("Content-Length: ");
            const qsizetype length = in.mid(cl + 16, in.indexOf("\r\n", cl) - cl - 16).toLongLong();
            if (in.size() < end + 4 + length)
                break;
            QVERIFY(in.startsWith("HTTP/1.1 200"));
            in.remove(0, end + 4 + length);
            ++responses;
        }
    }
    QCOMPARE(responses, n);
    QCOMPARE(d.terminate(), 0);
}

// --max-connections-per-address: past it, 503 with Retry-After; the place
// comes back when a connection closes.
void tst_HttpLimits::perAddressCap()
{
    DaemonProcess d;
    // Loopback is an ordinary client here, not a trusted proxy.
    const QString error = startDaemon(d, {QStringLiteral("--trusted-proxies"), QStringLiteral("192.0.2.1"),
                                          QStringLiteral("--max-connections-per-address"), QStringLiteral("3")});
    QVERIFY2(error.isEmpty(), qPrintable(error));
    std::vector<std::unique_ptr<RawHttp>> held;
    QVERIFY(holdConnections(d.port(), 3, held));
    RawHttp extra;
    QVERIFY(extra.connect(d.port()));
    extra.send(get("/healthz"));
    const Response r = extra.next();
    QVERIFY2(r.status == 503, qPrintable(describe(r)));
    QCOMPARE(r.errorCode(), QStringLiteral("unavailable"));
    QVERIFY(r.header("Retry-After").toInt() >= 1);
    QVERIFY(extra.waitClosed(5000));
    // A WebSocket from that address is refused before the 101 too.
    RawWebSocket ws;
    QVERIFY(!ws.open(d.port()));
    held.pop_back();
    QVERIFY(WsClient::waitUntil([&] { return once(d.port(), get("/healthz")).status == 200; }, 10000));
    held.clear();
    QTRY_VERIFY_WITH_TIMEOUT(metric(d.port(), "sanayicin_connections_refused_total{cap=\"address\"}") >= 2,
                             10000);
    QCOMPARE(d.terminate(), 0);
}

void tst_HttpLimits::totalCap()
{
    DaemonProcess d;
    const QString error = startDaemon(d, {QStringLiteral("--max-connections"), QStringLiteral("4")});
    QVERIFY2(error.isEmpty(), qPrintable(error));
    std::vector<std::unique_ptr<RawHttp>> held;
    QVERIFY(holdConnections(d.port(), 4, held));
    const Response r = once(d.port(), get("/healthz"));
    QVERIFY2(r.status == 503, qPrintable(describe(r)));
    QVERIFY(r.header("Retry-After").toInt() >= 1);
    held.clear();
    QTRY_COMPARE_WITH_TIMEOUT(once(d.port(), get("/healthz")).status, 200, 15000);
    QCOMPARE(d.terminate(), 0);
}

// --max-websockets-per-user: the next one closes with 1008 before hello.
void tst_HttpLimits::perUserWebSocketCap()
{
    DaemonProcess d;
    const QString error = startDaemon(d, {QStringLiteral("--max-websockets-per-user"), QStringLiteral("2")});
    QVERIFY2(error.isEmpty(), qPrintable(error));
    HttpClient http(d.httpUrl(QString()));
    const auto u = http.registerUser(QStringLiteral("capped"));
    const auto other = http.registerUser(QStringLiteral("other"));
    WsClient a, b, c, o;
    QVERIFY(!a.connectAndHello(d.wsUrl(), u.token).isEmpty());
    QVERIFY(!b.connectAndHello(d.wsUrl(), u.token).isEmpty());
    QVERIFY(c.connectAndHello(d.wsUrl(), u.token).isEmpty());
    QVERIFY(c.waitClosed());
    QCOMPARE(c.closeCode(), 1008);
    QVERIFY(c.socket().closeReason().contains(QStringLiteral("too many connections")));
    QVERIFY(c.received(QStringLiteral("hello")).isEmpty());
    QVERIFY(!o.connectAndHello(d.wsUrl(), other.token).isEmpty()); // others are not affected
    a.close();
    QVERIFY(a.waitClosed());
    // The place comes back (once the daemon has seen the close).
    QVERIFY(WsClient::waitUntil([&] {
        WsClient again;
        return !again.connectAndHello(d.wsUrl(), u.token).isEmpty();
    }, 10000));
    QCOMPARE(d.terminate(), 0);
}

// Behind a proxy the client address is X-Real-IP: the per-address cap and
// the new-WebSocket budget apply to it, and refuse before the 101.
void tst_HttpLimits::forwardedWebSocketCapsAndBudget()
{
    DaemonProcess d;
    const QString error = startDaemon(d, {QStringLiteral("--max-connections-per-address"), QStringLiteral("2"),
                                          QStringLiteral("--ws-open-rate"), QStringLiteral("0.05"),
                                          QStringLiteral("--ws-open-burst"), QStringLiteral("4")});
    QVERIFY2(error.isEmpty(), qPrintable(error));
    auto upgrade = [&](const QByteArray &address) {
        return once(d.port(), "GET /ws HTTP/1.1\r\nHost: t\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                              "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
                              "X-Real-IP: " + address + "\r\n\r\n");
    };
    std::vector<std::unique_ptr<RawHttp>> open;
    for (int i = 0; i < 2; ++i) {
        open.push_back(std::make_unique<RawHttp>());
        QVERIFY(open.back()->connect(d.port()));
        open.back()->send("GET /ws HTTP/1.1\r\nHost: t\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                          "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
                          "X-Real-IP: 198.51.100.7\r\n\r\n");
        QTRY_VERIFY_WITH_TIMEOUT(open.back()->socket().peek(12).startsWith("HTTP/1.1 101"), 5000);
    }
    const Response capped = upgrade("198.51.100.7");
    QVERIFY2(capped.status == 503, qPrintable(describe(capped)));
    QCOMPARE(capped.errorCode(), QStringLiteral("unavailable"));
    // Another address: its own budget of 4 new WebSockets, then 429.
    for (int i = 0; i < 4; ++i) {
        RawHttp one;
        QVERIFY(one.connect(d.port()));
        one.send("GET /ws HTTP/1.1\r\nHost: t\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                 "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
                 "X-Real-IP: 198.51.100.8\r\n\r\n");
        QTRY_VERIFY_WITH_TIMEOUT(one.socket().peek(12).startsWith("HTTP/1.1 101"), 5000);
    }
    const Response limited = upgrade("198.51.100.8");
    QVERIFY2(limited.status == 429, qPrintable(describe(limited)));
    QCOMPARE(limited.errorCode(), QStringLiteral("rate_limited"));
    QVERIFY(limited.header("Retry-After").toInt() >= 1);
    QCOMPARE(d.terminate(), 0);
}

// Finding: at EMFILE accept() spun both network threads. Now accepting
// pauses with a back-off (no CPU burnt), and resumes once descriptors free.
void tst_HttpLimits::outOfDescriptorsDoesNotSpin()
{
    DaemonProcess d;
    const QString error = startDaemon(d, {});
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QCOMPARE(once(d.port(), get("/healthz")).status, 200);
    const qint64 open = QDir(QStringLiteral("/proc/%1/fd").arg(d.pid()))
                            .entryList(QDir::AllEntries | QDir::System | QDir::NoDotAndDotDot)
                            .size();
    rlimit low{rlim_t(open + 8), rlim_t(open + 8)};
    QVERIFY2(::prlimit(pid_t(d.pid()), RLIMIT_NOFILE, &low, nullptr) == 0, strerror(errno));
    std::vector<std::unique_ptr<QTcpSocket>> sockets;
    for (int i = 0; i < 40; ++i) {
        sockets.push_back(std::make_unique<QTcpSocket>());
        sockets.back()->connectToHost(QStringLiteral("127.0.0.1"), d.port());
        QVERIFY(sockets.back()->waitForConnected(5000)); // the kernel's backlog takes them
    }
    QTest::qWait(500);
    const qint64 before = cpuTicks(d.pid());
    QTest::qWait(3000);
    const qint64 used = cpuTicks(d.pid()) - before;
    qInfo("CPU used in 3 s out of descriptors: %lld ticks", used);
    QVERIFY2(used < 30, qPrintable(QStringLiteral("%1 ticks").arg(used)));
    sockets.clear();
    const bool serves = WsClient::waitUntil([&] { return once(d.port(), get("/healthz"), 1000).status == 200; },
                                            10000);
    if (!serves)
        qWarning("daemon running: %d; its log:\n%s", d.isRunning(), d.log().right(3000).constData());
    QVERIFY(serves);
    QVERIFY(metric(d.port(), "sanayicin_accept_paused_total") >= 1);
    QVERIFY(d.log().contains("accepting paused"));
    QCOMPARE(d.terminate(), 0);
}

// --ops-listen: /metrics there (with --metrics-token, only with it), not on
// the public listener; /healthz and /readyz on both; nothing else there.
void tst_HttpLimits::operationsListener()
{
    DaemonProcess d;
    const QString error = startDaemon(d, {QStringLiteral("--ops-listen"), QStringLiteral("127.0.0.1:0"),
                                          QStringLiteral("--metrics-token"), QStringLiteral("s3cret-token")});
    QVERIFY2(error.isEmpty(), qPrintable(error));
    quint16 ops = 0;
    QTRY_VERIFY_WITH_TIMEOUT(
        ([&] {
            const auto m = QRegularExpression(QStringLiteral("operations on http://[^:]+:(\\d+)/"))
                               .match(QString::fromUtf8(d.log()));
            ops = m.hasMatch() ? quint16(m.captured(1).toUInt()) : 0;
            return ops != 0;
        }()),
        5000);
    QVERIFY(ops != d.port());
    const Response publicMetrics = once(d.port(), get("/metrics"));
    QCOMPARE(publicMetrics.status, 404);
    QCOMPARE(once(d.port(), get("/healthz")).status, 200);
    QCOMPARE(once(d.port(), get("/readyz")).status, 200);
    const Response noToken = once(ops, get("/metrics"));
    QVERIFY2(noToken.status == 401, qPrintable(describe(noToken)));
    QCOMPARE(noToken.errorCode(), QStringLiteral("unauthorized"));
    QCOMPARE(once(ops, get("/metrics", "Authorization: Bearer wrong\r\n")).status, 401);
    const Response withToken = once(ops, get("/metrics", "Authorization: Bearer s3cret-token\r\n"));
    QCOMPARE(withToken.status, 200);
    QVERIFY(withToken.body.contains("sanayicin_websocket_connections"));
    QCOMPARE(once(ops, get("/healthz")).status, 200);
    QCOMPARE(once(ops, get("/readyz")).status, 200);
    QCOMPARE(once(ops, get("/api/v1/tradesmen")).status, 404);
    QCOMPARE(once(ops, get("/")).status, 404);
    RawWebSocket ws;
    QVERIFY(!ws.open(ops));
    QCOMPARE(d.terminate(), 0);
}

// Without an operations listener /metrics stays on the public one, but only
// for a loopback client that is not a proxy's forwarded request.
void tst_HttpLimits::metricsOnlyForLoopbackWithoutOpsListener()
{
    QCOMPARE(once(m_daemon.port(), get("/metrics")).status, 200);
    const Response forwarded = once(m_daemon.port(), get("/metrics", "X-Real-IP: 203.0.113.9\r\n"));
    QVERIFY2(forwarded.status == 404, qPrintable(describe(forwarded)));
    QCOMPARE(once(m_daemon.port(), get("/metrics", "X-Forwarded-For: 203.0.113.9\r\n")).status, 404);
    // nginx on the same host forwarding a client that is on that host too
    // (deploy/scripts/check-configs.sh does this): still a forwarded request.
    QCOMPARE(once(m_daemon.port(), get("/metrics", "X-Real-IP: 127.0.0.1\r\n")).status, 404);
    QCOMPARE(once(m_daemon.port(), get("/metrics", "X-Forwarded-For: ::1\r\n")).status, 404);
}

// /readyz asks the database at most once per --readyz-interval-ms, however
// often it is asked.
void tst_HttpLimits::readyzPingsAtMostOncePerInterval()
{
    DaemonProcess d;
    const QString error = startDaemon(d, {QStringLiteral("--readyz-interval-ms"), QStringLiteral("60000")});
    QVERIFY2(error.isEmpty(), qPrintable(error));
    const double before = metric(d.port(), "sanayicin_readiness_pings_total");
    QVERIFY(before >= 0);
    RawHttp h;
    QVERIFY(h.connect(d.port()));
    h.send(get("/readyz").repeated(50));
    for (int i = 0; i < 50; ++i) {
        const Response r = h.next();
        QVERIFY2(r.status == 200, qPrintable(describe(r)));
        QVERIFY(r.body.contains("\"database\":\"ok\""));
    }
    for (int i = 0; i < 20; ++i)
        QCOMPARE(once(d.port(), get("/readyz")).status, 200);
    const double after = metric(d.port(), "sanayicin_readiness_pings_total");
    QVERIFY2(after - before <= 1, qPrintable(QStringLiteral("%1 pings").arg(after - before)));
    QCOMPARE(d.terminate(), 0);

    // With no interval every request pings: the counter does count.
    DaemonProcess e;
    QVERIFY(startDaemon(e, {QStringLiteral("--readyz-interval-ms"), QStringLiteral("0")}).isEmpty());
    for (int i = 0; i < 5; ++i)
        QCOMPARE(once(e.port(), get("/readyz")).status, 200);
    QVERIFY(metric(e.port(), "sanayicin_readiness_pings_total") >= 5);
    QCOMPARE(e.terminate(), 0);
}

// The per-address budget covers every path: the page, assets, probes.
void tst_HttpLimits::budgetOnEveryPath()
{
    DaemonProcess d;
    const QString error = startDaemon(d, {QStringLiteral("--http-address-rate"), QStringLiteral("0.05"),
                                          QStringLiteral("--http-address-burst"), QStringLiteral("5")});
    QVERIFY2(error.isEmpty(), qPrintable(error));
    const QByteArray from = "X-Real-IP: 198.51.100.20\r\n";
    const QList<QByteArray> paths{"/", "/assets/app.js", "/healthz", "/readyz", "/api/v1/tradesmen"};
    for (const QByteArray &p : paths)
        QCOMPARE(once(d.port(), get(p, from)).status, 200);
    for (const QByteArray &p : paths + QList<QByteArray>{"/metrics", "/ws"}) {
        const Response r = once(d.port(), get(p, from));
        QVERIFY2(r.status == 429, qPrintable(QString::fromLatin1(p) + QStringLiteral(": ") + describe(r)));
        QVERIFY(r.header("Retry-After").toInt() >= 1);
    }
    QCOMPARE(once(d.port(), get("/healthz", "X-Real-IP: 198.51.100.21\r\n")).status, 200);
    QCOMPARE(d.terminate(), 0);
}

// The daemon's own page is safe without nginx: every response carries the
// CSP, X-Frame-Options, nosniff and Referrer-Policy.
void tst_HttpLimits::securityHeadersOnEveryResponse()
{
    const QList<QByteArray> requests{get("/"), get("/assets/app.js"), get("/assets/style.css"),
                                     get("/healthz"), get("/api/v1/me"), get("/nowhere"),
                                     get("/api/v1/tradesmen?q=%FF")};
    for (const QByteArray &req : requests) {
        const Response r = once(m_daemon.port(), req);
        QVERIFY2(r.status != 0 && hasSecurityHeaders(r), req.constData());
    }
    const Response page = once(m_daemon.port(), get("/"));
    QVERIFY(page.header("Content-Type").startsWith("text/html"));
    QVERIFY(page.header("Content-Security-Policy").contains("script-src 'self'"));
    QVERIFY(page.header("Content-Security-Policy").contains("connect-src 'self'"));
    // The page has no inline script or style that the policy would block.
    QVERIFY(!page.body.contains("<script>"));
    QVERIFY(!page.body.contains("<style"));
    QVERIFY(!page.body.contains(" style="));
}

// Finding: /ws with "Upgrade: websocket" but no "Connection: upgrade" lost
// its idle timer and got no answer at all.
void tst_HttpLimits::wsWithoutConnectionUpgradeIsAnswered()
{
    RawHttp h;
    QVERIFY(h.connect(m_daemon.port()));
    h.send(get("/ws", "Upgrade: websocket\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                      "Sec-WebSocket-Version: 13\r\n"));
    const Response r = h.next(5000);
    QVERIFY2(r.status == 400, qPrintable(describe(r)));
    QCOMPARE(r.errorCode(), QStringLiteral("bad_request"));
    // An ordinary request that may go on.
    h.send(get("/healthz"));
    QCOMPARE(h.next().status, 200);
    // And the idle deadline still applies to it.
    DaemonProcess d;
    QVERIFY(startDaemon(d, {QStringLiteral("--http-idle-timeout-ms"), QStringLiteral("1000")}).isEmpty());
    RawHttp idle;
    QVERIFY(idle.connect(d.port()));
    idle.send(get("/ws", "Upgrade: websocket\r\n"));
    QCOMPARE(idle.next(5000).status, 400);
    QVERIFY(idle.waitClosed(5000));
    QCOMPARE(d.terminate(), 0);
}

void tst_HttpLimits::headHasNoBody()
{
    RawHttp h;
    QVERIFY(h.connect(m_daemon.port()));
    h.send("HEAD / HTTP/1.1\r\nHost: t\r\n\r\n");
    QTest::qWait(300);
    h.send(get("/healthz"));
    // The HEAD answer has a Content-Length but no body: the next response
    // follows its header directly.
    const QByteArray all = [&] {
        QByteArray in;
        QElapsedTimer t;
        t.start();
        while (!in.contains("{\"status\":\"ok\"}") && t.elapsed() < 5000) {
            h.socket().waitForReadyRead(50);
            in += h.socket().readAll();
        }
        return in;
    }();
    const qsizetype second = all.indexOf("HTTP/1.1 200");
    QVERIFY(all.startsWith("HTTP/1.1 404"));
    QVERIFY(second > 0);
    QVERIFY(all.left(second).endsWith("\r\n\r\n"));
}

// Finding: requests (and browsers) send a space in a query as '+'; the
// directory found nothing. '+' is a space in every query value, "%2B" a
// plus, and a broken escape or non-UTF-8 is 400.
void tst_HttpLimits::plusIsSpaceInQueries()
{
    HttpClient http(m_daemon.httpUrl(QString()));
    const auto t = http.registerUser(QStringLiteral("plus_trades"), QStringLiteral("tradesman"));
    const HttpResult put = http.put(QStringLiteral("/api/v1/me/profile"),
                                    {{QStringLiteral("business_name"), QStringLiteral("Işık Elektrik")},
                                     {QStringLiteral("category"), QStringLiteral("Elektrik Ustası")},
                                     {QStringLiteral("city"), QStringLiteral("İstanbul")},
                                     {QStringLiteral("description"), QStringLiteral("C++ ve 7/24 servis")}},
                                    t.token);
    QCOMPARE(put.status, 200);
    auto search = [&](const QByteArray &query) {
        const Response r = once(m_daemon.port(), get("/api/v1/tradesmen?" + query));
        return r.status == 200 ? int(QJsonDocument::fromJson(r.body).object()
                                         .value(QStringLiteral("items")).toArray().size())
                               : -r.status;
    };
    QCOMPARE(search("q=I%C5%9F%C4%B1k+Elektrik"), 1);  // as Python's requests sends it
    QCOMPARE(search("q=I%C5%9F%C4%B1k%20Elektrik"), 1);
    QCOMPARE(search("category=Elektrik+Ustas%C4%B1"), 1);
    QCOMPARE(search("q=C%2B%2B"), 1);                  // "%2B" is a plus
    QCOMPARE(search("q=C+%2B"), 0);                    // "C +" is not in the text
    QCOMPARE(search("q=%FF"), -400);
    QCOMPARE(search("q=a%00b"), -400);
    QCOMPARE(search("limit=1+0"), -400);               // "1 0" is not a number
}

// Finding: a 19-digit id (below 2^63) got 404 "no such endpoint", so a
// non-admin got 404 instead of 403. Every run of digits matches {id}; the
// access checks come first; ids that cannot exist are 404 after them.
void tst_HttpLimits::idsUpTo2Pow63()
{
    QString error;
    QTemporaryDir dir;
    DaemonProcess d;
    const QString db = QStringLiteral("sqlite://") + dir.filePath(QStringLiteral("ids.sqlite"));
    QVERIFY2(DaemonProcess::createUser(db, QStringLiteral("ids_admin"), QStringLiteral("admin-pass-1"), true, error),
             qPrintable(error));
    QVERIFY2(d.start(db, DaemonProcess::defaultArgs(), error), qPrintable(error));
    HttpClient http(d.httpUrl(QString()));
    const auto user = http.registerUser(QStringLiteral("ids_user"));
    const auto admin = http.login(QStringLiteral("ids_admin"), QStringLiteral("admin-pass-1"));
    QVERIFY(!admin.token.isEmpty());
    const QStringList ids{QStringLiteral("1234567890123456789"), QStringLiteral("9223372036854775807"),
                          QStringLiteral("9223372036854775808"), QStringLiteral("18446744073709551616"),
                          QStringLiteral("0"), QStringLiteral("007")};
    for (const QString &id : ids) {
        const QString ban = QStringLiteral("/api/v1/admin/users/%1/ban").arg(id);
        const HttpResult anonymous = http.post(ban, {});
        QVERIFY2(anonymous.status == 401, qPrintable(id));
        const HttpResult notAdmin = http.post(ban, {}, user.token);
        QVERIFY2(notAdmin.status == 403, qPrintable(id + QLatin1Char(' ') + QString::number(notAdmin.status)));
        const HttpResult asAdmin = http.post(ban, {}, admin.token);
        QVERIFY2(asAdmin.status == 404 && asAdmin.errorCode() == u"not_found", qPrintable(id));
        QVERIFY(!asAdmin.body.contains("no such endpoint"));
        const HttpResult profile = http.get(QStringLiteral("/api/v1/tradesmen/%1").arg(id));
        QVERIFY2(profile.status == 404 && !profile.body.contains("no such endpoint"), qPrintable(id));
        const HttpResult conversation = http.get(QStringLiteral("/api/v1/conversations/%1").arg(id), user.token);
        QVERIFY2(conversation.status == 404 && !conversation.body.contains("no such endpoint"), qPrintable(id));
    }
    // A real id still works, and what is not a number is no endpoint.
    QCOMPARE(http.get(QStringLiteral("/api/v1/tradesmen/%1").arg(user.id)).status, 404); // a customer
    QVERIFY(http.get(QStringLiteral("/api/v1/tradesmen/12a")).body.contains("no such endpoint"));
    QCOMPARE(d.terminate(), 0);
}

QTEST_MAIN(tst_HttpLimits)
#include "tst_http_limits.moc"
