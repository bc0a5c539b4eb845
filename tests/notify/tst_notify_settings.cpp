// The webhook's hostile inputs: the URL and the other settings (edges of
// every number, truncation at every byte, encodings), the secret's sources,
// the job payload, the signature (against a vector computed outside Qt:
// Python's hmac), and how statuses end a job.

#include "notify/notification_payload.h"
#include "notify/notify_settings.h"
#include "notify/webhook_notifier.h"
#include "notify/webhook_signature.h"
#include "notify/webhook_url.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QtTest>

using namespace sanayicin;
using namespace sanayicin::notify;

namespace {

std::optional<Settings> resolve(const QStringList &args, QString &error,
                                const QProcessEnvironment &env = {})
{
    QCommandLineParser parser;
    const QList<OptionSpec> specs = NotifySettings::options();
    Settings::addToParser(parser, specs);
    if (!parser.parse(QStringList{QStringLiteral("sanayicind")} + args)) {
        error = parser.errorText();
        return std::nullopt;
    }
    return Settings::resolve(specs, parser, env, error);
}

} // namespace

class TestNotifySettings : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void urlsAccepted_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("redacted");
        QTest::newRow("http") << "http://hooks.example/x" << "http://hooks.example/x";
        QTest::newRow("https with port and query")
            << "https://hooks.example:8443/a/b?token=s3cret" << "https://hooks.example:8443/a/b";
        QTest::newRow("port 1") << "http://h:1/" << "http://h:1/";
        QTest::newRow("port 65535") << "http://h:65535/" << "http://h:65535/";
        QTest::newRow("ipv6") << "http://[::1]:8080/h" << "http://[::1]:8080/h";
        QTest::newRow("no path") << "https://h" << "https://h";
        QTest::newRow("upper-case scheme") << "HTTPS://h/x" << "https://h/x";
        QTest::newRow("punycode") << "https://xn--sanayici-9za.example/" << "https://xn--sanayici-9za.example/";
        QTest::newRow("escapes in path") << "http://h/a%20b" << "http://h/a%20b";
    }
    void urlsAccepted()
    {
        QFETCH(QString, text);
        QFETCH(QString, redacted);
        QString error;
        const auto url = WebhookUrl::parse(text, error);
        QVERIFY2(url, qPrintable(error));
        QCOMPARE(url->redacted(), redacted);
    }

    void urlsRefused_data()
    {
        QTest::addColumn<QString>("text");
        QTest::newRow("empty") << "";
        QTest::newRow("scheme only") << "http://";
        QTest::newRow("ftp") << "ftp://h/x";
        QTest::newRow("file") << "file:///etc/passwd";
        QTest::newRow("javascript") << "javascript:alert(1)";
        QTest::newRow("no scheme") << "hooks.example/x";
        QTest::newRow("no slashes") << "http:hooks.example";
        QTest::newRow("user info") << "https://user:pass@h/x";
        QTest::newRow("user only") << "https://user@h/x";
        QTest::newRow("empty user info") << "https://@h/x";
        QTest::newRow("fragment") << "https://h/x#f";
        QTest::newRow("empty fragment") << "https://h/x#";
        QTest::newRow("port 0") << "http://h:0/";
        QTest::newRow("port 65536") << "http://h:65536/";
        QTest::newRow("port 2^63") << "http://h:9223372036854775808/";
        QTest::newRow("port 2^64-1") << "http://h:18446744073709551615/";
        QTest::newRow("port -1") << "http://h:-1/";
        QTest::newRow("empty port") << "http://h:/";
        QTest::newRow("port letters") << "http://h:80a/";
        QTest::newRow("space") << "http://h/a b";
        QTest::newRow("leading space") << " http://h/";
        QTest::newRow("tab") << "http://h/\t";
        QTest::newRow("newline") << "http://h/\r\nX-Evil: 1";
        QTest::newRow("nul") << QString::fromLatin1("http://h/\0x", 10);
        QTest::newRow("del") << "http://h/\x7f";
        QTest::newRow("non-ascii host") << QString::fromUtf8("http://sanayiçi.example/");
        QTest::newRow("not utf-8") << QString::fromUtf8("http://h/\xff\xfe");
        QTest::newRow("broken escape") << "http://h/%zz";
        QTest::newRow("lone percent") << "http://h/%";
        QTest::newRow("bad ipv6") << "http://[::1/";
        QTest::newRow("backslash") << "http://h\\@evil/";
    }
    void urlsRefused()
    {
        QFETCH(QString, text);
        QString error;
        QVERIFY(!WebhookUrl::parse(text, error));
        QVERIFY(!error.isEmpty());
        // The text may hold a receiver's token: never repeated.
        if (text.size() > 6)
            QVERIFY2(!error.contains(text), qPrintable(error));
    }

    void urlLengthAtTheLimit()
    {
        const QString head = QStringLiteral("https://h/");
        QString error;
        const QString atLimit = head + QString(WebhookUrl::kMaxLength - head.size(), u'a');
        QVERIFY2(WebhookUrl::parse(atLimit, error), qPrintable(error));
        QVERIFY(!WebhookUrl::parse(atLimit + u'a', error));
        QVERIFY(error.contains(QString::number(WebhookUrl::kMaxLength)));
    }

    void urlTruncatedAtEveryByte()
    {
        const QString full = QStringLiteral("https://hooks.example:8443/a/b?token=s3cret");
        for (qsizetype n = 0; n <= full.size(); ++n) {
            QString error;
            const auto url = WebhookUrl::parse(full.left(n), error);
            if (!url) {
                QVERIFY(!error.isEmpty());
                continue;
            }
            QVERIFY(url->url.scheme() == u"https");
            QVERIFY(!url->url.host().isEmpty());
            QVERIFY(!url->redacted().contains(u"s3cret"));
        }
        QString error;
        QVERIFY(!WebhookUrl::parse(full.left(8), error)); // "https://"
        QVERIFY(!WebhookUrl::parse(full.left(22), error)); // "https://hooks.example:"
        QVERIFY(WebhookUrl::parse(full.left(21), error));  // "https://hooks.example"
    }

    void numbersAtTheEdges_data()
    {
        QTest::addColumn<QString>("option");
        QTest::addColumn<QString>("value");
        QTest::addColumn<bool>("ok");
        QTest::newRow("batch 0") << "notify-batch-ms" << "0" << true;
        QTest::newRow("batch a day") << "notify-batch-ms" << "86400000" << true;
        QTest::newRow("batch a day + 1") << "notify-batch-ms" << "86400001" << false;
        QTest::newRow("batch -1") << "notify-batch-ms" << "-1" << false;
        QTest::newRow("batch 2^63") << "notify-batch-ms" << "9223372036854775808" << false;
        QTest::newRow("batch 2^64-1") << "notify-batch-ms" << "18446744073709551615" << false;
        QTest::newRow("batch empty") << "notify-batch-ms" << "" << false;
        QTest::newRow("batch 1e3") << "notify-batch-ms" << "1e3" << false;
        QTest::newRow("batch 5x") << "notify-batch-ms" << "5x" << false;
        QTest::newRow("connect 99") << "notify-connect-timeout-ms" << "99" << false;
        QTest::newRow("connect 100") << "notify-connect-timeout-ms" << "100" << true;
        QTest::newRow("total 300000") << "notify-timeout-ms" << "300000" << true;
        QTest::newRow("total 300001") << "notify-timeout-ms" << "300001" << false;
        QTest::newRow("total below connect") << "notify-timeout-ms" << "4999" << false;
        QTest::newRow("preview 1000") << "notify-preview-chars" << "1000" << true;
        QTest::newRow("preview 1001") << "notify-preview-chars" << "1001" << false;
    }
    void numbersAtTheEdges()
    {
        QFETCH(QString, option);
        QFETCH(QString, value);
        QFETCH(bool, ok);
        QString error;
        const auto s = resolve({u"--"_qs + option, value}, error);
        std::optional<NotifySettings> c;
        if (s)
            c = NotifySettings::fromSettings(*s, {}, error);
        QCOMPARE(bool(c), ok);
        if (!ok)
            QVERIFY(!error.isEmpty());
        else
            QVERIFY(!c->enabled()); // no URL: off
    }

    void secretSources_data()
    {
        QTest::addColumn<QByteArray>("file"); // empty: from the environment
        QTest::addColumn<QByteArray>("env");
        QTest::addColumn<bool>("ok");
        QTest::addColumn<QByteArray>("secret");
        const QByteArray s16(16, 'k');
        QTest::newRow("file, 16 bytes") << s16 << QByteArray() << true << s16;
        QTest::newRow("file, 15 bytes") << QByteArray(15, 'k') << QByteArray() << false << QByteArray();
        QTest::newRow("file, newline dropped") << s16 + '\n' << QByteArray() << true << s16;
        QTest::newRow("file, CRLF dropped") << s16 + "\r\n" << QByteArray() << true << s16;
        QTest::newRow("file, only one newline dropped") << s16 + "\n\n" << QByteArray() << true << s16 + '\n';
        QTest::newRow("file, 4096") << QByteArray(4096, 'k') << QByteArray() << true << QByteArray(4096, 'k');
        QTest::newRow("file, 4096 + newline") << QByteArray(4096, 'k') + '\n' << QByteArray() << true << QByteArray(4096, 'k');
        QTest::newRow("file, 4097") << QByteArray(4097, 'k') << QByteArray() << false << QByteArray();
        QTest::newRow("file, 1 MiB") << QByteArray(1 << 20, 'k') << QByteArray() << false << QByteArray();
        QTest::newRow("file, empty") << QByteArray("\n") << QByteArray() << false << QByteArray();
        QTest::newRow("file, binary") << QByteArray(16, '\0') << QByteArray() << true << QByteArray(16, '\0');
        QTest::newRow("env") << QByteArray() << s16 << true << s16;
        QTest::newRow("env, short") << QByteArray() << QByteArray("short") << false << QByteArray();
        QTest::newRow("neither") << QByteArray() << QByteArray() << false << QByteArray();
    }
    void secretSources()
    {
        QFETCH(QByteArray, file);
        QFETCH(QByteArray, env);
        QFETCH(bool, ok);
        QFETCH(QByteArray, secret);
        QTemporaryDir dir;
        QStringList args{u"--notify-webhook-url"_qs, u"https://h/x?token=t0ps3cret"_qs};
        if (!file.isEmpty()) {
            QFile f(dir.filePath(u"secret"_qs));
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write(file);
            f.close();
            args << u"--notify-webhook-secret-file"_qs << f.fileName();
        }
        QProcessEnvironment e;
        if (!env.isEmpty())
            e.insert(QLatin1StringView(NotifySettings::kSecretEnv), QString::fromLatin1(env));
        QString error;
        const auto s = resolve(args, error, e);
        QVERIFY2(s, qPrintable(error));
        const auto c = NotifySettings::fromSettings(*s, e, error);
        QCOMPARE(bool(c), ok);
        if (!ok) {
            // Neither the secret nor the URL's token in the message.
            QVERIFY(!error.isEmpty());
            QVERIFY(!error.contains(u"t0ps3cret"));
            QVERIFY(!error.contains(QString(15, u'k')));
            return;
        }
        QVERIFY(c->enabled());
        QCOMPARE(c->secret, secret);
    }

    void unreadableSecretFile()
    {
        QString error;
        const QStringList args{u"--notify-webhook-url"_qs, u"https://h/x"_qs,
                               u"--notify-webhook-secret-file"_qs, u"/nonexistent/secret"_qs};
        const auto s = resolve(args, error);
        QVERIFY(s);
        QVERIFY(!NotifySettings::fromSettings(*s, {}, error));
        QVERIFY(error.contains(u"/nonexistent/secret"));
    }

    void signatureMatchesAnOutsideComputation()
    {
        // python3: hmac.new(b'0123456789abcdef', b'1700000000.{"a":1}', hashlib.sha256).hexdigest()
        QCOMPARE(webhookSignature("0123456789abcdef", 1700000000, R"({"a":1})"),
                 QByteArray("v1=9eb18f493f8ec135d9eb2dad817c369bb4e9cbfa818657897a7437c1cd8c3a23"));
        // Every part counts.
        QVERIFY(webhookSignature("0123456789abcdeF", 1700000000, R"({"a":1})")
                != webhookSignature("0123456789abcdef", 1700000000, R"({"a":1})"));
        QVERIFY(webhookSignature("0123456789abcdef", 1700000001, R"({"a":1})")
                != webhookSignature("0123456789abcdef", 1700000000, R"({"a":1})"));
        QVERIFY(webhookSignature("0123456789abcdef", 1700000000, R"({"a":2})")
                != webhookSignature("0123456789abcdef", 1700000000, R"({"a":1})"));
    }

    void theDocumentedExample()
    {
        // docs/protocol.md, "Webhook notifications": the body and signature
        // shown there, byte for byte.
        NotificationContent c;
        c.deliveryId = u"1796399970123-0"_qs;
        c.recipientId = 42;
        c.createdAtMs = 1796400000000;
        c.unread = {{7, 9, u"Usta Tesisat"_qs, 3, 1201, 1207, 1796399971512}};
        const QByteArray body = c.toJson();
        QCOMPARE(body,
                 QByteArray(R"({"event":"unread_messages","deliveryId":"1796399970123-0","recipientId":42,)"
                            R"("unreadMessages":3,"conversationCount":1,"upToMessageId":1207,)"
                            R"("createdAt":"2026-12-04T16:00:00.000Z","conversations":[{"conversationId":7,)"
                            R"("fromUserId":9,"fromDisplayName":"Usta Tesisat","unreadMessages":3,)"
                            R"("firstMessageId":1201,"lastMessageId":1207,)"
                            R"("lastMessageAt":"2026-12-04T15:59:31.512Z"}]})"));
        QCOMPARE(body.size(), 368);
        QCOMPARE(webhookSignature("0123456789abcdef", 1796400000, body),
                 QByteArray("v1=f88b0782b99b0960f1ec7bc7e9097c383801369c3347c32b567197fe2f71c037"));
    }

    void onlyTheNewest50AreListed()
    {
        NotificationContent c;
        c.deliveryId = u"d"_qs;
        c.recipientId = 1;
        for (qint64 i = 0; i < 60; ++i)
            c.unread.push_back({1000 - i, 2, u"P"_qs, 2, 10000 - 2 * i - 1, 10000 - 2 * i, 0});
        c.previews.insert(1000, u"<script>\"x\"</script>"_qs);
        const QJsonObject o = QJsonDocument::fromJson(c.toJson()).object();
        QCOMPARE(o.value(u"conversationCount").toInteger(), 60);
        QCOMPARE(o.value(u"unreadMessages").toInteger(), 120);
        QCOMPARE(o.value(u"upToMessageId").toInteger(), 10000);
        const QJsonArray list = o.value(u"conversations").toArray();
        QCOMPARE(list.size(), NotificationContent::kListedConversations);
        QCOMPARE(list.first().toObject().value(u"preview").toString(), u"<script>\"x\"</script>"_qs);
        QVERIFY(!list.last().toObject().contains(u"preview"));
    }

    void payloads_data()
    {
        QTest::addColumn<QByteArray>("payload");
        QTest::addColumn<qint64>("user"); // 0: refused
        QTest::newRow("one") << QByteArray(R"({"userId":1})") << qint64(1);
        QTest::newRow("2^53-1") << QByteArray(R"({"userId":9007199254740991})") << qint64(9007199254740991);
        QTest::newRow("2^53") << QByteArray(R"({"userId":9007199254740992})") << qint64(0);
        QTest::newRow("2^63") << QByteArray(R"({"userId":9223372036854775808})") << qint64(0);
        QTest::newRow("2^64-1") << QByteArray(R"({"userId":18446744073709551615})") << qint64(0);
        QTest::newRow("zero") << QByteArray(R"({"userId":0})") << qint64(0);
        QTest::newRow("negative") << QByteArray(R"({"userId":-5})") << qint64(0);
        QTest::newRow("fraction") << QByteArray(R"({"userId":1.5})") << qint64(0);
        QTest::newRow("string") << QByteArray(R"({"userId":"5"})") << qint64(0);
        QTest::newRow("extra key") << QByteArray(R"({"userId":5,"x":1})") << qint64(0);
        QTest::newRow("array") << QByteArray(R"([5])") << qint64(0);
        QTest::newRow("empty") << QByteArray() << qint64(0);
        QTest::newRow("not utf-8") << QByteArray("{\"userId\":5,\"\xff\":1}") << qint64(0);
        QTest::newRow("over 256 bytes")
            << QByteArray(R"({"userId":5)") + QByteArray(250, ' ') + '}' << qint64(0);
        const QByteArray whole = R"({"userId":42})";
        for (int n = 0; n < whole.size(); ++n)
            QTest::addRow("truncated at %d", n) << whole.left(n) << qint64(0);
    }
    void payloads()
    {
        QFETCH(QByteArray, payload);
        QFETCH(qint64, user);
        const auto got = recipientOfPayload(payload);
        QCOMPARE(got.value_or(0), user);
    }

    void previewsNeverSplitACharacter()
    {
        QCOMPARE(previewOf(u"abc"_qs, 3), u"abc"_qs);
        QCOMPARE(previewOf(u"abcd"_qs, 3), u"abc…"_qs);
        QCOMPARE(previewOf(u"abc"_qs, 0), u"…"_qs);
        QCOMPARE(previewOf(QString(), 5), QString());
        const QString emoji = QString::fromUtf8("a\xF0\x9F\x94\xA7" "b"); // a, U+1F527, b
        QCOMPARE(previewOf(emoji, 1), u"a…"_qs);
        QCOMPARE(previewOf(emoji, 2), QString::fromUtf8("a\xF0\x9F\x94\xA7") + u"…"_qs);
        QCOMPARE(previewOf(emoji, 3), emoji);
    }

    void statusesEndJobs_data()
    {
        QTest::addColumn<int>("status");
        QTest::addColumn<int>("outcome");
        const int done = int(jobs::JobOutcome::Done), retry = int(jobs::JobOutcome::Retry),
                  fail = int(jobs::JobOutcome::Fail);
        for (int s : {200, 201, 202, 204, 299})
            QTest::addRow("%d", s) << s << done;
        for (int s : {408, 429, 500, 502, 503, 504, 599})
            QTest::addRow("%d", s) << s << retry;
        for (int s : {100, 199, 300, 301, 302, 304, 307, 400, 401, 403, 404, 405, 410, 413, 422, 499, 600, 999})
            QTest::addRow("%d", s) << s << fail;
    }
    void statusesEndJobs()
    {
        QFETCH(int, status);
        QFETCH(int, outcome);
        QCOMPARE(int(outcomeOfStatus(status)), outcome);
    }
};

QTEST_GUILESS_MAIN(TestNotifySettings)
#include "tst_notify_settings.moc"
