// Settings: command line > environment > INI file > default, type checks
// with messages that name the option and where the value came from, and the
// INI reader.

#include "settings/settings.h"

#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

using namespace sanayicin;
using namespace Qt::StringLiterals;

namespace {

QList<OptionSpec> specs()
{
    return {
        {u"listen"_s, u"ADDR:PORT"_s, u"127.0.0.1:8080"_s, u"Listen here."_s, OptionKind::String},
        {u"data-dir"_s, u"PATH"_s, u"./data"_s, u"Data folder."_s, OptionKind::String},
        {u"workers"_s, u"N"_s, u"4"_s, u"Worker threads."_s, OptionKind::Integer, 1, 64},
        {u"queue-size"_s, u"N"_s, u"1000"_s, u"Queue size."_s, OptionKind::Integer, 10, 0},
        {u"trust-proxy"_s, QString(), QString(), u"Trust X-Forwarded-For."_s,
         OptionKind::Boolean},
        {u"rate"_s, u"N"_s, u"2.5"_s, u"Per second."_s, OptionKind::Decimal, 0, 0},
    };
}

struct Resolved
{
    std::optional<Settings> settings;
    QString error;
};

Resolved resolve(const QStringList &args, const QProcessEnvironment &env)
{
    QCommandLineParser parser;
    Settings::addToParser(parser, specs());
    parser.process(QStringList{u"sanayicind"_s} + args);
    Resolved r;
    r.settings = Settings::resolve(specs(), parser, env, r.error);
    return r;
}

QProcessEnvironment env(std::initializer_list<std::pair<QString, QString>> vars)
{
    QProcessEnvironment e; // empty: nothing of the real environment leaks in
    for (const auto &[k, v] : vars)
        e.insert(k, v);
    return e;
}

} // namespace

class tst_Settings : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void envName();
    void defaults();
    void precedence_data();
    void precedence();
    void configPathFromEnvironment();
    void booleanFlag();
    void iniSyntax();
    void iniUnknownKeyRefused_data();
    void iniUnknownKeyRefused();
    void iniMalformedLine();
    void iniUnreadable();
    void integerErrorsNameOptionAndSource_data();
    void integerErrorsNameOptionAndSource();
    void booleanError();
    void decimals_data();
    void decimals();
    void iniByteOrderMarkAndCrLf();
    void iniDamaged_data();
    void iniDamaged();
    void iniTabs();
    void setForTests();

private:
    QString writeIni(const QByteArray &text);
    QTemporaryDir m_dir;
    int m_files = 0;
};

QString tst_Settings::writeIni(const QByteArray &text)
{
    const QString path = m_dir.filePath(u"c%1.ini"_s.arg(m_files++));
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly) || f.write(text) != text.size())
        qFatal("cannot write %s", qPrintable(path));
    return path;
}

void tst_Settings::envName()
{
    QCOMPARE(Settings::envName(u"listen"_s), u"SANAYICIN_LISTEN"_s);
    QCOMPARE(Settings::envName(u"data-dir"_s), u"SANAYICIN_DATA_DIR"_s);
    QCOMPARE(Settings::envName(u"instance-id"_s), u"SANAYICIN_INSTANCE_ID"_s);
}

void tst_Settings::defaults()
{
    const Resolved r = resolve({}, env({}));
    QVERIFY2(r.settings, qPrintable(r.error));
    QCOMPARE(r.settings->string(u"listen"_s), u"127.0.0.1:8080"_s);
    QCOMPARE(r.settings->integer(u"workers"_s), 4);
    QCOMPARE(r.settings->boolean(u"trust-proxy"_s), false);
    QCOMPARE(r.settings->sourceOf(u"listen"_s), u"default"_s);
    QCOMPARE(r.settings->sourceOf(u"trust-proxy"_s), u"default"_s);
}

void tst_Settings::precedence_data()
{
    QTest::addColumn<bool>("cli");
    QTest::addColumn<bool>("environment");
    QTest::addColumn<bool>("ini");
    QTest::addColumn<QString>("expected");
    QTest::addColumn<QString>("source");
    QTest::newRow("all four") << true << true << true << u"cli:1"_s << u"command line"_s;
    QTest::newRow("cli over ini") << true << false << true << u"cli:1"_s << u"command line"_s;
    QTest::newRow("cli over env") << true << true << false << u"cli:1"_s << u"command line"_s;
    QTest::newRow("env over ini") << false << true << true << u"env:2"_s << u"environment"_s;
    QTest::newRow("env over default") << false << true << false << u"env:2"_s
                                      << u"environment"_s;
    QTest::newRow("ini over default") << false << false << true << u"ini:3"_s
                                      << u"config file"_s;
    QTest::newRow("default") << false << false << false << u"127.0.0.1:8080"_s << u"default"_s;
}

void tst_Settings::precedence()
{
    QFETCH(bool, cli);
    QFETCH(bool, environment);
    QFETCH(bool, ini);
    QFETCH(QString, expected);
    QFETCH(QString, source);

    QStringList args;
    if (cli)
        args << u"--listen"_s << u"cli:1"_s;
    QProcessEnvironment e;
    if (environment)
        e.insert(u"SANAYICIN_LISTEN"_s, u"env:2"_s);
    if (ini)
        args << u"--config"_s << writeIni("listen = ini:3\n");
    const Resolved r = resolve(args, e);
    QVERIFY2(r.settings, qPrintable(r.error));
    QCOMPARE(r.settings->string(u"listen"_s), expected);
    QCOMPARE(r.settings->sourceOf(u"listen"_s), source);
    // The other settings are untouched by it.
    QCOMPARE(r.settings->string(u"data-dir"_s), u"./data"_s);
}

void tst_Settings::configPathFromEnvironment()
{
    const QString path = writeIni("workers = 7\n");
    const Resolved r = resolve({}, env({{u"SANAYICIN_CONFIG"_s, path}}));
    QVERIFY2(r.settings, qPrintable(r.error));
    QCOMPARE(r.settings->integer(u"workers"_s), 7);
    QCOMPARE(r.settings->sourceOf(u"workers"_s), u"config file"_s);

    // --config beats SANAYICIN_CONFIG.
    const QString other = writeIni("workers = 9\n");
    const Resolved r2 = resolve({u"--config"_s, other}, env({{u"SANAYICIN_CONFIG"_s, path}}));
    QVERIFY2(r2.settings, qPrintable(r2.error));
    QCOMPARE(r2.settings->integer(u"workers"_s), 9);
}

void tst_Settings::booleanFlag()
{
    Resolved r = resolve({u"--trust-proxy"_s}, env({{u"SANAYICIN_TRUST_PROXY"_s, u"false"_s}}));
    QVERIFY2(r.settings, qPrintable(r.error));
    QCOMPARE(r.settings->boolean(u"trust-proxy"_s), true);
    QCOMPARE(r.settings->sourceOf(u"trust-proxy"_s), u"command line"_s);

    for (const QString &yes : {u"1"_s, u"true"_s, u"YES"_s, u"on"_s}) {
        r = resolve({}, env({{u"SANAYICIN_TRUST_PROXY"_s, yes}}));
        QVERIFY2(r.settings, qPrintable(r.error));
        QVERIFY2(r.settings->boolean(u"trust-proxy"_s), qPrintable(yes));
    }
    for (const QString &no : {u"0"_s, u"false"_s, u"No"_s, u"off"_s}) {
        r = resolve({}, env({{u"SANAYICIN_TRUST_PROXY"_s, no}}));
        QVERIFY2(r.settings, qPrintable(r.error));
        QVERIFY2(!r.settings->boolean(u"trust-proxy"_s), qPrintable(no));
    }
}

void tst_Settings::iniSyntax()
{
    const QString path = writeIni("# a comment\n"
                                  "; another comment\n"
                                  "\n"
                                  "[sanayicind]\n"
                                  "  listen   =   \"0.0.0.0:9000\"  \n"
                                  "data-dir=/var/lib/sanayicin\n"
                                  "workers = 12\n"
                                  "  # indented comment with = sign\n"
                                  "trust-proxy = yes\n");
    const Resolved r = resolve({u"--config"_s, path}, env({}));
    QVERIFY2(r.settings, qPrintable(r.error));
    QCOMPARE(r.settings->string(u"listen"_s), u"0.0.0.0:9000"_s); // quotes removed
    QCOMPARE(r.settings->string(u"data-dir"_s), u"/var/lib/sanayicin"_s);
    QCOMPARE(r.settings->integer(u"workers"_s), 12);
    QCOMPARE(r.settings->boolean(u"trust-proxy"_s), true);

    QString error;
    const auto raw = readIniFile(writeIni("a = \"x = y\"\n"
                                          "[other]\n"
                                          "b = 1\n"
                                          "[General]\n"
                                          "c = \"\"\n"
                                          "d = \"\n"),
                                 error);
    QVERIFY2(raw, qPrintable(error));
    QCOMPARE(raw->value(u"a"_s), u"x = y"_s);
    QCOMPARE(raw->value(u"other.b"_s), u"1"_s); // other sections are prefixed
    QVERIFY(raw->contains(u"c"_s));
    QCOMPARE(raw->value(u"c"_s), QString());
    QCOMPARE(raw->value(u"d"_s), u"\""_s); // a lone quote is not a quoted value
    QCOMPARE(raw->size(), 4);
}

void tst_Settings::iniUnknownKeyRefused_data()
{
    QTest::addColumn<QByteArray>("ini");
    QTest::addColumn<QString>("key");
    QTest::newRow("typo") << QByteArray("listn = 1.2.3.4:80\n") << u"listn"_s;
    QTest::newRow("other section") << QByteArray("[redis]\nlisten = x\n") << u"redis.listen"_s;
    QTest::newRow("config itself") << QByteArray("config = /etc/x.ini\n") << u"config"_s;
}

void tst_Settings::iniUnknownKeyRefused()
{
    QFETCH(QByteArray, ini);
    QFETCH(QString, key);
    const QString path = writeIni(ini);
    const Resolved r = resolve({u"--config"_s, path}, env({}));
    QVERIFY(!r.settings);
    QVERIFY2(r.error.contains(u"\"%1\""_s.arg(key)), qPrintable(r.error));
    QVERIFY2(r.error.contains(path), qPrintable(r.error));
}

void tst_Settings::iniMalformedLine()
{
    const QString path = writeIni("listen = a\njust words\n");
    const Resolved r = resolve({u"--config"_s, path}, env({}));
    QVERIFY(!r.settings);
    QVERIFY2(r.error.contains(path + u":2"_s), qPrintable(r.error));

    QString error;
    QVERIFY(!readIniFile(writeIni("= value\n"), error));
    QVERIFY(error.contains(u":1"_s));
}

void tst_Settings::iniUnreadable()
{
    const QString missing = m_dir.filePath(u"does-not-exist.ini"_s);
    const Resolved r = resolve({u"--config"_s, missing}, env({}));
    QVERIFY(!r.settings);
    QVERIFY2(r.error.contains(missing), qPrintable(r.error));
}

void tst_Settings::integerErrorsNameOptionAndSource_data()
{
    QTest::addColumn<QString>("where"); // cli, env or ini
    QTest::addColumn<QString>("option");
    QTest::addColumn<QString>("value");
    QTest::addColumn<QString>("source");
    QTest::newRow("cli above max") << u"cli"_s << u"workers"_s << u"65"_s << u"command line"_s;
    QTest::newRow("cli not a number") << u"cli"_s << u"workers"_s << u"many"_s
                                      << u"command line"_s;
    QTest::newRow("env below min") << u"env"_s << u"workers"_s << u"0"_s << u"environment"_s;
    QTest::newRow("env negative") << u"env"_s << u"workers"_s << u"-3"_s << u"environment"_s;
    QTest::newRow("env fraction") << u"env"_s << u"workers"_s << u"2.5"_s << u"environment"_s;
    QTest::newRow("ini below min") << u"ini"_s << u"queue-size"_s << u"9"_s << u"config file"_s;
    QTest::newRow("ini empty") << u"ini"_s << u"workers"_s << QString() << u"config file"_s;
    QTest::newRow("ini overflow") << u"ini"_s << u"queue-size"_s << u"99999999999999999999"_s
                                  << u"config file"_s;
}

void tst_Settings::integerErrorsNameOptionAndSource()
{
    QFETCH(QString, where);
    QFETCH(QString, option);
    QFETCH(QString, value);
    QFETCH(QString, source);
    QStringList args;
    QProcessEnvironment e;
    if (where == u"cli")
        args << u"--"_s + option << value;
    else if (where == u"env")
        e.insert(Settings::envName(option), value);
    else
        args << u"--config"_s << writeIni(option.toUtf8() + " = " + value.toUtf8() + "\n");
    const Resolved r = resolve(args, e);
    QVERIFY(!r.settings);
    QVERIFY2(r.error.startsWith(option + u" "_s), qPrintable(r.error));
    QVERIFY2(r.error.contains(u"(from %1)"_s.arg(source)), qPrintable(r.error));
    QVERIFY2(r.error.contains(u"\"%1\""_s.arg(value)), qPrintable(r.error));
}

void tst_Settings::booleanError()
{
    const Resolved r = resolve({}, env({{u"SANAYICIN_TRUST_PROXY"_s, u"maybe"_s}}));
    QVERIFY(!r.settings);
    QVERIFY2(r.error.contains(u"trust-proxy"_s) && r.error.contains(u"environment"_s)
                 && r.error.contains(u"maybe"_s),
             qPrintable(r.error));
}

void tst_Settings::decimals_data()
{
    QTest::addColumn<QString>("value");
    QTest::addColumn<bool>("valid");
    QTest::newRow("fraction") << u"0.5"_s << true;
    QTest::newRow("whole") << u"3"_s << true;
    QTest::newRow("spaces") << u" 7 "_s << true;
    QTest::newRow("exponent") << u"1e3"_s << true;
    QTest::newRow("zero") << u"0"_s << true;
    QTest::newRow("huge but finite") << u"1e300"_s << true;
    QTest::newRow("nan") << u"nan"_s << false;
    QTest::newRow("NaN") << u"NaN"_s << false;
    QTest::newRow("inf") << u"inf"_s << false;
    QTest::newRow("-inf") << u"-inf"_s << false;
    QTest::newRow("beyond a double") << u"1e400"_s << false;
    QTest::newRow("negative") << u"-1"_s << false;
    QTest::newRow("empty") << QString() << false;
    QTest::newRow("words") << u"fast"_s << false;
    QTest::newRow("hex") << u"0x10"_s << false;
}

// Rates are decimals: a finite number of at least the minimum, checked at
// start like integers (toDouble() alone takes "nan" and "inf").
void tst_Settings::decimals()
{
    QFETCH(QString, value);
    QFETCH(bool, valid);
    const Resolved r = resolve({}, env({{u"SANAYICIN_RATE"_s, value}}));
    QCOMPARE(bool(r.settings), valid);
    if (valid) {
        QCOMPARE(r.settings->decimal(u"rate"_s), value.trimmed().toDouble());
    } else {
        QVERIFY2(r.error.startsWith(u"rate (from environment)"_s), qPrintable(r.error));
        QVERIFY2(r.error.contains(u"\"%1\""_s.arg(value)), qPrintable(r.error));
    }
    QCOMPARE(resolve({}, env({})).settings->decimal(u"rate"_s), 2.5);
}

void tst_Settings::iniByteOrderMarkAndCrLf()
{
    QString error;
    const auto raw = parseIni("\xEF\xBB\xBFworkers = 3\r\n[sanayicind]\r\nlisten = \"x\"\r\n", u"t.ini"_s, error);
    QVERIFY2(raw, qPrintable(error));
    QCOMPARE(raw->value(u"workers"_s), u"3"_s);
    QCOMPARE(raw->value(u"listen"_s), u"x"_s);
    QCOMPARE(raw->size(), 2);
    const Resolved r = resolve({u"--config"_s, writeIni("\xEF\xBB\xBFworkers = 3\r\n")}, env({}));
    QVERIFY2(r.settings, qPrintable(r.error));
    QCOMPARE(r.settings->integer(u"workers"_s), 3);
}

void tst_Settings::iniDamaged_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<QString>("where"); // the start of the error: file and line
    QTest::newRow("not UTF-8") << QByteArray("listen = \xff\n") << u"f.ini"_s;
    QTest::newRow("lone CR") << QByteArray("listen = a\rworkers = 2\n") << u"f.ini:1"_s; // old Mac line ends
    QTest::newRow("NUL") << QByteArray("a = 1\nlisten = x\0y\n", 18) << u"f.ini:2"_s;
    QTest::newRow("space in section") << QByteArray("[a b]\nx = 1\n") << u"f.ini:1"_s;
    QTest::newRow("space in name") << QByteArray("x y = 1\n") << u"f.ini:1"_s;
    // The settings fuzzer's two findings (tests/fuzz/regressions/settings).
    QTest::newRow("BOM in section") << QByteArray("[\xEF\xBB\xBF" "a]\nk = 1\n") << u"f.ini:1"_s;
    QTest::newRow("controls in name") << QByteArray("co\x01un\0t = 1\r\n", 13) << u"f.ini:1"_s;
}

// A damaged file is refused with its file and line, not read into odd values.
void tst_Settings::iniDamaged()
{
    QFETCH(QByteArray, text);
    QFETCH(QString, where);
    QString error;
    QVERIFY(!parseIni(text, u"f.ini"_s, error));
    QVERIFY2(error.startsWith(where), qPrintable(error));
}

void tst_Settings::iniTabs()
{
    QString error;
    const auto tab = parseIni("listen =\tx\ty\t\n", u"tab.ini"_s, error);
    QVERIFY2(tab, qPrintable(error));
    QCOMPARE(tab->value(u"listen"_s), u"x\ty"_s);
}

void tst_Settings::setForTests()
{
    Resolved r = resolve({}, env({}));
    QVERIFY(r.settings);
    r.settings->set(u"workers"_s, u"8"_s);
    QCOMPARE(r.settings->integer(u"workers"_s), 8);
    QCOMPARE(r.settings->sourceOf(u"workers"_s), u"program"_s);
}

QTEST_GUILESS_MAIN(tst_Settings)
#include "tst_settings.moc"
