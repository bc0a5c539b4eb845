// The daemon under systemd's Type=notify, with the test in systemd's place:
// a datagram socket in NOTIFY_SOCKET, WATCHDOG_USEC set (docs/operations.md,
// "systemd: readiness, status and the watchdog"). READY=1 only once /readyz
// answers 200, STATUS= lines, WATCHDOG=1 repeating and withheld while the
// main thread or a network thread is stopped, RELOADING=1 then READY=1 on
// SIGHUP, STOPPING=1 on SIGTERM. And the log lines: journald's priority
// prefixes when stderr is the journal's stream, JSON lines when asked.

#include "daemon_process.h"
#include "http_client.h"
#include "journal_receiver.h"
#include "notify_listener.h"
#include "service_processes.h"

#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QtTest>
#include <csignal>
#include <memory>
#include <sys/ptrace.h>
#include <sys/stat.h>
#include <sys/wait.h>

using namespace sanayicin::test;
using namespace Qt::StringLiterals;

namespace {

// The thread of process `pid` whose name (comm) is `name`; 0 when none.
pid_t threadNamed(qint64 pid, const QByteArray &name)
{
    const QDir tasks(u"/proc/%1/task"_s.arg(pid));
    for (const QString &tid : tasks.entryList(QDir::Dirs | QDir::NoDotAndDotDot)) {
        QFile comm(tasks.filePath(tid + u"/comm"_s));
        if (comm.open(QIODevice::ReadOnly) && comm.readAll().trimmed() == name)
            return pid_t(tid.toInt());
    }
    return 0;
}

// Stops one thread of another process, and only it, as a debugger does:
// PTRACE_SEIZE, then PTRACE_INTERRUPT of that thread (SIGSTOP would stop
// them all; tgkill cannot stop one). Detaching lets it run on.
class ThreadStop
{
public:
    ~ThreadStop() { resume(); }
    bool stop(pid_t tid, QString &error)
    {
        if (::ptrace(PTRACE_SEIZE, tid, nullptr, nullptr) != 0) {
            error = u"PTRACE_SEIZE: "_s + QString::fromUtf8(strerror(errno));
            return false;
        }
        m_tid = tid;
        int status = 0;
        if (::ptrace(PTRACE_INTERRUPT, tid, nullptr, nullptr) != 0
            || ::waitpid(tid, &status, __WALL) != tid || !WIFSTOPPED(status)) {
            error = u"PTRACE_INTERRUPT: "_s + QString::fromUtf8(strerror(errno));
            return false;
        }
        return true;
    }
    void resume()
    {
        if (m_tid > 0)
            ::ptrace(PTRACE_DETACH, m_tid, nullptr, nullptr);
        m_tid = 0;
    }

private:
    pid_t m_tid = 0;
};

QString journalStreamOf(const QString &path)
{
    struct stat st = {};
    if (::stat(QFile::encodeName(path).constData(), &st) != 0)
        return {};
    return u"%1:%2"_s.arg(qulonglong(st.st_dev)).arg(qulonglong(st.st_ino));
}

QList<QByteArray> lines(const QByteArray &log)
{
    QList<QByteArray> out = log.split('\n');
    if (!out.isEmpty() && out.last().isEmpty())
        out.removeLast();
    return out;
}

} // namespace

class TestSystemd : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    // READY=1 waits for what /readyz checks (here Redis, down at first),
    // then comes with /readyz at 200; every datagram is from the main pid.
    void readyOnlyOnceServing()
    {
        RedisServer redis;
        QString error;
        QVERIFY2(redis.start(error), qPrintable(error));
        redis.stop(); // its port is free again, and known
        NotifyListener systemd;
        DaemonProcess daemon;
        startUnderSystemd(daemon, systemd, false, {}, {u"--redis"_s, redis.url()});
        if (QTest::currentTestFailed())
            return;
        HttpClient http(daemon.httpUrl({}));

        // Serving (it answers), but not ready: no READY=1.
        for (int i = 0; i < 5; ++i) {
            QCOMPARE(http.get(u"/readyz"_s).status, 503);
            QCOMPARE(systemd.count("READY=1"), 0);
            QTest::qWait(300); // a window in which READY=1 must not come
        }
        QTRY_COMPARE(systemd.with("STATUS=starting: waiting for Redis").size(), 1);

        QVERIFY2(redis.restart(error), qPrintable(error));
        QTRY_COMPARE_WITH_TIMEOUT(systemd.count("READY=1"), 1, 20000);
        QCOMPARE(http.get(u"/readyz"_s).status, 200);
        const NotifyListener::Datagram ready = systemd.with("READY=1").first();
        QVERIFY2(ready.value("STATUS").startsWith("serving "), ready.text.constData());
        QVERIFY(daemon.log().contains("told systemd READY=1"));

        const qint64 pid = daemon.pid();
        daemon.sendSigterm();
        QTRY_COMPARE(systemd.count("STOPPING=1"), 1);
        QVERIFY(systemd.with("STOPPING=1").first().value("STATUS").startsWith("draining:"));
        QTRY_VERIFY_WITH_TIMEOUT(!daemon.isRunning(), 20000);
        QCOMPARE(daemon.exitCode(), 0);
        QCOMPARE(systemd.count("READY=1"), 1);
        for (const NotifyListener::Datagram &d : systemd.received())
            QCOMPARE(d.pid, pid);
    }

    // WATCHDOG=1 repeats at half the period; SIGHUP is RELOADING=1 then
    // READY=1; an abstract socket name ('@') works as well as a path.
    void watchdogAndReload()
    {
        NotifyListener systemd;
        DaemonProcess daemon;
        startUnderSystemd(daemon, systemd, true, {{u"WATCHDOG_USEC"_s, u"1000000"_s}});
        if (QTest::currentTestFailed())
            return;
        QTRY_COMPARE(systemd.count("READY=1"), 1);
        QTRY_VERIFY_WITH_TIMEOUT(systemd.count("WATCHDOG=1") >= 5, 10000);
        const QList<NotifyListener::Datagram> pings = systemd.with("WATCHDOG=1");
        // Every half second: five pings take about two seconds, not one.
        QVERIFY(pings.last().atMs - pings.first().atMs >= 1500);

        ::kill(pid_t(daemon.pid()), SIGHUP);
        QTRY_COMPARE(systemd.count("READY=1"), 2);
        const QList<NotifyListener::Datagram> all = systemd.received();
        qsizetype reloading = -1, readyAgain = -1;
        for (qsizetype i = 0; i < all.size(); ++i) {
            if (all[i].has("RELOADING=1"))
                reloading = i;
            if (all[i].has("READY=1") && reloading >= 0)
                readyAgain = i;
        }
        QVERIFY(reloading >= 0);
        QVERIFY(readyAgain > reloading);
        QVERIFY(all[reloading].value("MONOTONIC_USEC").toLongLong() > 0);
        QCOMPARE(daemon.terminate(), 0);
    }

    // A watchdog meant for another process (WATCHDOG_PID) is not ours.
    void watchdogOfAnotherPid()
    {
        NotifyListener systemd;
        DaemonProcess daemon;
        startUnderSystemd(daemon, systemd, false,
                          {{u"WATCHDOG_USEC"_s, u"200000"_s}, {u"WATCHDOG_PID"_s, u"1"_s}});
        if (QTest::currentTestFailed())
            return;
        QTRY_COMPARE(systemd.count("READY=1"), 1);
        QTest::qWait(1000); // ten periods in which no ping may come
        QCOMPARE(systemd.count("WATCHDOG=1"), 0);
        QCOMPARE(daemon.terminate(), 0);
    }

    void stoppedThreadWithholdsPings_data()
    {
        QTest::addColumn<QByteArray>("thread");
        QTest::addColumn<int>("graceMs"); // pings that may still pass after the stop
        // The main thread sends the pings: none once it stops. A network
        // thread's last stamp is at most a beat (500 ms) old when it stops,
        // stale a second later, and the next check (every second) holds back.
        QTest::newRow("main thread") << QByteArray("sanayicind") << 300;
        QTest::newRow("network thread") << QByteArray("net-1") << 1700;
    }

    void stoppedThreadWithholdsPings()
    {
        QFETCH(QByteArray, thread);
        QFETCH(int, graceMs);
        NotifyListener systemd;
        DaemonProcess daemon;
        startUnderSystemd(daemon, systemd, false, {{u"WATCHDOG_USEC"_s, u"2000000"_s}});
        if (QTest::currentTestFailed())
            return;
        QTRY_VERIFY_WITH_TIMEOUT(systemd.count("WATCHDOG=1") >= 2, 10000);

        const pid_t tid = threadNamed(daemon.pid(), thread);
        QVERIFY2(tid > 0, thread.constData());
        ThreadStop stopped;
        QString error;
        if (!stopped.stop(tid, error))
            QSKIP(qPrintable(u"this machine does not let a test stop a thread: "_s + error));
        const qint64 stoppedAt = NotifyListener::monotonicMs();
        QTest::qWait(graceMs + 2500); // two and a half pings' worth of silence
        int late = 0;
        for (const NotifyListener::Datagram &d : systemd.with("WATCHDOG=1"))
            late += d.atMs > stoppedAt + graceMs;
        QCOMPARE(late, 0);
        if (thread != "sanayicind") // the main thread says why (it is the one that logs it)
            QVERIFY2(daemon.log().contains("watchdog: thread " + thread + " has not turned"),
                     daemon.log().right(2000).constData());

        const int before = systemd.count("WATCHDOG=1");
        stopped.resume();
        QTRY_VERIFY_WITH_TIMEOUT(systemd.count("WATCHDOG=1") > before, 5000);
        if (thread != "sanayicind")
            QTRY_VERIFY(daemon.log().contains("WATCHDOG=1 resumes"));
        QCOMPARE(daemon.terminate(), 0);
    }

    // Under systemd with StandardError=journal but no journal socket (the
    // fallback): every line begins with its syslog priority, so that
    // journalctl -p warning shows the warnings.
    void journalPriorities()
    {
        const QString ini = m_dir.filePath(u"journal.ini"_s);
        writeFile(ini, "[sanayicind]\nhash-queue = 64\n");
        DaemonProcess daemon;
        underJournal(daemon, u"journal.log"_s, m_dir.filePath(u"no-journal"_s));
        QString error;
        QVERIFY2(daemon.start({}, DaemonProcess::defaultArgs() << u"--config"_s << ini, error),
                 qPrintable(error));
        logWarningThenError(daemon, ini);
        if (QTest::currentTestFailed())
            return;

        static const QRegularExpression prefixed(u"^<[0-7]>"_s);
        const QList<QByteArray> all = lines(daemon.log());
        QVERIFY(all.size() > 5);
        for (const QByteArray &line : all)
            QVERIFY2(prefixed.match(QString::fromUtf8(line)).hasMatch(), line.constData());
        QVERIFY(contains(all, "<6>info sanayicin.app: sanayicind "));
        QVERIFY(contains(all, "<4>warning sanayicin.app: reload: hash-queue changed from 64 to 7"));
        QVERIFY(contains(all, "<3>error sanayicin.app: reload failed"));
    }

    // JOURNAL_STREAM that names another file (inherited from a parent whose
    // stderr was the journal): text, as on a terminal, and nothing to the
    // journal's socket even where there is one.
    void journalStreamOfAnotherFile()
    {
        const QString out = m_dir.filePath(u"text.log"_s);
        writeFile(out, {});
        const QString other = m_dir.filePath(u"other"_s);
        writeFile(other, {});
        JournalReceiver journal;
        QString error;
        QVERIFY2(journal.open(error), qPrintable(error));
        DaemonProcess daemon;
        daemon.setOutputFile(out);
        daemon.setEnvironmentVariable(u"JOURNAL_STREAM"_s, journalStreamOf(other));
        daemon.setEnvironmentVariable(u"SANAYICIN_JOURNAL_SOCKET"_s, journal.path());
        QVERIFY2(daemon.start({}, DaemonProcess::defaultArgs(), error), qPrintable(error));
        QCOMPARE(daemon.terminate(), 0);
        static const QRegularExpression text(u"^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3} "
                                             "(debug|info|warning|error) "_s);
        for (const QByteArray &line : lines(daemon.log()))
            QVERIFY2(text.match(QString::fromUtf8(line)).hasMatch(), line.constData());
        QVERIFY(daemon.log().contains("sanayicin.app"));
        QCOMPARE(journal.received().size(), 0);
    }

    // A message of several lines (libpq's error) gets the priority on each.
    void journalMultiLineMessage()
    {
        DaemonProcess daemon;
        underJournal(daemon, u"multi.log"_s, m_dir.filePath(u"no-journal"_s));
        failOnClosedDatabase(daemon);
        if (QTest::currentTestFailed())
            return;
        const QList<QByteArray> all = lines(daemon.log());
        qsizetype at = -1;
        for (qsizetype i = 0; i < all.size(); ++i)
            if (all[i].startsWith("<3>error sanayicin.app: cannot open postgresql://"))
                at = i;
        QVERIFY2(at >= 0, daemon.log().constData());
        QVERIFY2(at + 1 < all.size(), "libpq's message has more than one line");
        for (qsizetype i = at; i < all.size(); ++i)
            QVERIFY2(all[i].startsWith("<3>"), all[i].constData());
    }

    // With the journal's socket there (a datagram socket bound by the test
    // in journald's place): every message is one entry of fields, nothing
    // goes to stderr, and a message of several lines stays one entry.
    void journalNativeFields()
    {
        const QString ini = m_dir.filePath(u"native.ini"_s);
        writeFile(ini, "[sanayicind]\nhash-queue = 64\n");
        JournalReceiver journal;
        QString error;
        QVERIFY2(journal.open(error), qPrintable(error));
        DaemonProcess daemon;
        underJournal(daemon, u"native.log"_s, journal.path());
        daemon.setLogSource([&journal] { return journalMessages(journal); });
        QVERIFY2(daemon.start({},
                              DaemonProcess::defaultArgs() << u"--config"_s << ini << u"--instance-id"_s
                                                           << u"eu-1/blue"_s,
                              error),
                 qPrintable(error));
        // A warning, then an error, as logWarningThenError, read from the journal.
        writeFile(ini, "[sanayicind]\nhash-queue = 7\n");
        ::kill(pid_t(daemon.pid()), SIGHUP);
        QTRY_VERIFY(journalMessages(journal).contains("needs a restart"));
        writeFile(ini, "[sanayicind]\nnot a setting\n");
        ::kill(pid_t(daemon.pid()), SIGHUP);
        QTRY_VERIFY(journalMessages(journal).contains("reload failed"));
        QCOMPARE(daemon.terminate(), 0);
        QTRY_VERIFY(journalMessages(journal).contains("sanayicin.app: stopped"));

        const QList<JournalEntry> entries = journalEntries(journal);
        QVERIFY(entries.size() > 5);
        for (const JournalEntry &e : entries) {
            QVERIFY2(QList<QByteArray>({"2", "3", "4", "6", "7"}).contains(e.value("PRIORITY"))
                         && e.count("PRIORITY") == 1,
                     e.value("MESSAGE").constData());
            QCOMPARE(e.value("SYSLOG_IDENTIFIER"), "sanayicind"_ba);
            QVERIFY(e.value("MESSAGE").startsWith(e.value("SANAYICIN_CATEGORY") + ": "));
        }
        const JournalEntry *serving = find(entries, "6", "sanayicin.app: sanayicind ");
        QVERIFY(serving);
        QCOMPARE(serving->value("SANAYICIN_CATEGORY"), "sanayicin.app"_ba);
        QCOMPARE(serving->value("SANAYICIN_INSTANCE"), "eu-1/blue"_ba);
        QVERIFY(find(entries, "4", "sanayicin.app: reload: hash-queue changed from 64 to 7"));
        QVERIFY(find(entries, "3", "sanayicin.app: reload failed"));
        // Nothing of ours on stderr (only what is not a log line could be).
        QVERIFY2(!daemon.log().contains("sanayicin.app"), daemon.log().constData());
    }

    void journalNativeMultiLineMessage()
    {
        JournalReceiver journal;
        QString error;
        QVERIFY2(journal.open(error), qPrintable(error));
        DaemonProcess daemon;
        underJournal(daemon, u"native-multi.log"_s, journal.path());
        failOnClosedDatabase(daemon);
        if (QTest::currentTestFailed())
            return;
        QTRY_VERIFY(journalMessages(journal).contains("cannot open postgresql://"));
        const QList<JournalEntry> entries = journalEntries(journal);
        const JournalEntry *e = find(entries, "3", "sanayicin.app: cannot open postgresql://");
        QVERIFY2(e, daemon.log().constData());
        QVERIFY2(e->value("MESSAGE").contains('\n'), e->value("MESSAGE").constData());
        QVERIFY(!e->value("MESSAGE").contains("secret"));
    }

    // journald going away while the daemon runs: the next lines go to
    // stderr with their priority prefix, none is lost.
    void journalGoneFallsBackToStderr()
    {
        const QString ini = m_dir.filePath(u"gone.ini"_s);
        writeFile(ini, "[sanayicind]\nhash-queue = 64\n");
        auto journal = std::make_unique<JournalReceiver>();
        QString error;
        QVERIFY2(journal->open(error), qPrintable(error));
        DaemonProcess daemon;
        underJournal(daemon, u"gone.log"_s, journal->path());
        daemon.setLogSource([&journal] { return journalMessages(*journal); });
        QVERIFY2(daemon.start({}, DaemonProcess::defaultArgs() << u"--config"_s << ini, error),
                 qPrintable(error));
        QVERIFY(!daemon.log().contains("sanayicin.app"));
        journal.reset(); // its socket closed and removed
        writeFile(ini, "[sanayicind]\nhash-queue = 7\n");
        ::kill(pid_t(daemon.pid()), SIGHUP);
        QTRY_VERIFY(daemon.log().contains("<4>warning sanayicin.app: reload: hash-queue changed from 64 to 7"));
        QCOMPARE(daemon.terminate(), 0);
        QVERIFY(daemon.log().contains("<6>info sanayicin.app: stopped"));
    }

    // --log-format json (or SANAYICIN_LOG_FORMAT): every line one object
    // with time, level, priority, category, instance and message, however
    // many newlines and quotes the message holds.
    void jsonLines()
    {
        const QString ini = m_dir.filePath(u"json.ini"_s);
        writeFile(ini, "[sanayicind]\nhash-queue = 64\n");
        const QString instance = u"eu-1/blue"_s;
        DaemonProcess daemon;
        QString error;
        QVERIFY2(daemon.start({},
                              DaemonProcess::defaultArgs()
                                  << u"--config"_s << ini << u"--log-format"_s << u"json"_s
                                  << u"--instance-id"_s << instance,
                              error),
                 qPrintable(error));
        logWarningThenError(daemon, ini);
        if (QTest::currentTestFailed())
            return;

        const QList<QJsonObject> objects = jsonObjects(daemon.log());
        QVERIFY(objects.size() > 5);
        for (const QJsonObject &o : objects) {
            QCOMPARE(o.value(u"instance"_s).toString(), instance);
            QVERIFY(QDateTime::fromString(o.value(u"time"_s).toString(), Qt::ISODateWithMs).isValid());
        }
        QVERIFY(hasEntry(objects, u"info"_s, 6, u"sanayicin.app"_s, u"serving on http://127.0.0.1:"_s));
        QVERIFY(hasEntry(objects, u"warning"_s, 4, u"sanayicin.app"_s,
                         u"reload: hash-queue changed from 64 to 7"_s));
        QVERIFY(hasEntry(objects, u"error"_s, 3, u"sanayicin.app"_s, u"reload failed"_s));
    }

    // The environment sets it too; a message with newlines and quotes
    // (libpq's) is still one line of JSON, and no password is in it.
    void jsonMultiLineMessage()
    {
        DaemonProcess daemon;
        daemon.setEnvironmentVariable(u"SANAYICIN_LOG_FORMAT"_s, u"json"_s);
        failOnClosedDatabase(daemon);
        if (QTest::currentTestFailed())
            return;
        const QList<QJsonObject> objects = jsonObjects(daemon.log());
        bool found = false;
        for (const QJsonObject &o : objects) {
            const QString message = o.value(u"message"_s).toString();
            if (o.value(u"level"_s) == u"error"_s && message.startsWith(u"cannot open postgresql://"_s)) {
                found = true;
                QVERIFY2(message.contains(u'\n') && message.contains(u'"'), qPrintable(message));
            }
        }
        QVERIFY2(found, daemon.log().constData());
    }

    // A value nobody knows is refused at start, naming the choices.
    void unknownLogFormat()
    {
        DaemonProcess daemon;
        QString error;
        QVERIFY(!daemon.start({}, DaemonProcess::defaultArgs() << u"--log-format"_s << u"xml"_s, error));
        QTRY_VERIFY(!daemon.isRunning());
        QCOMPARE(daemon.exitCode(), 2);
        QVERIFY(daemon.log().contains("log-format must be auto, text, journal or json"));
    }

private:
    // As under systemd with StandardError=journal: stderr into the file
    // `name`, which JOURNAL_STREAM names, and the journal's socket at
    // `socket` (a path where none is, for the fallback).
    void underJournal(DaemonProcess &daemon, const QString &name, const QString &socket)
    {
        const QString out = m_dir.filePath(name);
        writeFile(out, {});
        daemon.setOutputFile(out);
        daemon.setEnvironmentVariable(u"JOURNAL_STREAM"_s, journalStreamOf(out));
        daemon.setEnvironmentVariable(u"SANAYICIN_JOURNAL_SOCKET"_s, socket);
    }

    // Starts `daemon` with NOTIFY_SOCKET at `systemd` (an abstract name or a
    // path), `environment` and `args` after the usual ones.
    static void startUnderSystemd(DaemonProcess &daemon, NotifyListener &systemd, bool abstract,
                                  const QList<std::pair<QString, QString>> &environment,
                                  const QStringList &args = {})
    {
        QString error;
        QVERIFY2(systemd.open(abstract, error), qPrintable(error));
        daemon.setEnvironmentVariable(u"NOTIFY_SOCKET"_s, systemd.address());
        for (const auto &[name, value] : environment)
            daemon.setEnvironmentVariable(name, value);
        QVERIFY2(daemon.start({}, DaemonProcess::defaultArgs() << args, error), qPrintable(error));
    }

    // Reloads with a restart-only change (a warning), then a file that does
    // not parse (an error), and stops the daemon.
    static void logWarningThenError(DaemonProcess &daemon, const QString &ini)
    {
        writeFile(ini, "[sanayicind]\nhash-queue = 7\n");
        ::kill(pid_t(daemon.pid()), SIGHUP);
        QTRY_VERIFY(daemon.log().contains("needs a restart"));
        writeFile(ini, "[sanayicind]\nnot a setting\n");
        ::kill(pid_t(daemon.pid()), SIGHUP);
        QTRY_VERIFY(daemon.log().contains("reload failed"));
        QCOMPARE(daemon.terminate(), 0);
    }

    // Starts `daemon` on a PostgreSQL nobody listens on: it logs libpq's
    // error (several lines, quotes) and exits 1. The password never shows.
    static void failOnClosedDatabase(DaemonProcess &daemon)
    {
        QString error;
        QVERIFY(!daemon.start(u"postgresql://nobody:secret@127.0.0.1:%1/none"_s.arg(freeLocalPort()),
                              DaemonProcess::defaultArgs(), error));
        QTRY_VERIFY(!daemon.isRunning());
        QCOMPARE(daemon.exitCode(), 1);
        QVERIFY(!daemon.log().contains("secret"));
    }

    // Every datagram parsed as one entry; one that does not parse fails the test.
    static QList<JournalEntry> journalEntries(const JournalReceiver &journal)
    {
        QList<JournalEntry> out;
        for (const JournalReceiver::Datagram &d : journal.received()) {
            const auto e = parseJournalEntry(d.bytes);
            if (!e) {
                qWarning("not a journal entry: %s", d.bytes.toPercentEncoding().constData());
                return {};
            }
            out << *e;
        }
        return out;
    }

    // Every MESSAGE field received so far, one after another.
    static QByteArray journalMessages(const JournalReceiver &journal)
    {
        QByteArray out;
        for (const JournalReceiver::Datagram &d : journal.received())
            if (const auto e = parseJournalEntry(d.bytes))
                out += e->value("MESSAGE") + '\n';
        return out;
    }

    static const JournalEntry *find(const QList<JournalEntry> &entries, QByteArrayView priority,
                                    QByteArrayView messageStart)
    {
        for (const JournalEntry &e : entries)
            if (e.value("PRIORITY") == priority && e.value("MESSAGE").startsWith(messageStart))
                return &e;
        return nullptr;
    }

    static void writeFile(const QString &path, const QByteArray &text)
    {
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
        f.write(text);
    }

    static bool contains(const QList<QByteArray> &lines, const QByteArray &start)
    {
        for (const QByteArray &l : lines)
            if (l.startsWith(start))
                return true;
        return false;
    }

    // Every line parsed as one JSON object; a line that is not fails the test.
    static QList<QJsonObject> jsonObjects(const QByteArray &log)
    {
        QList<QJsonObject> out;
        for (const QByteArray &line : lines(log)) {
            QJsonParseError e;
            const QJsonDocument doc = QJsonDocument::fromJson(line, &e);
            if (e.error != QJsonParseError::NoError || !doc.isObject()) {
                qWarning("not a JSON object: %s", line.constData());
                return {};
            }
            out << doc.object();
        }
        return out;
    }

    static bool hasEntry(const QList<QJsonObject> &objects, const QString &level, int priority,
                         const QString &category, const QString &messagePart)
    {
        for (const QJsonObject &o : objects)
            if (o.value(u"level"_s).toString() == level && o.value(u"priority"_s).toInt() == priority
                && o.value(u"category"_s).toString() == category
                && o.value(u"message"_s).toString().contains(messagePart))
                return true;
        return false;
    }

    QTemporaryDir m_dir;
};

QTEST_GUILESS_MAIN(TestSystemd)
#include "tst_systemd.moc"
