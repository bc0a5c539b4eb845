// Every string of the console that a person sees has its Turkish (and
// English) translation: lupdate reads console/ afresh into a temporary .ts,
// and each of its messages must be in the committed file, translated, not
// "unfinished", not only obsolete or vanished. A tr() added without its
// translation fails here.

#include <QDir>
#include <QFile>
#include <QHash>
#include <QProcess>
#include <QTemporaryDir>
#include <QXmlStreamReader>
#include <QtTest>

using namespace Qt::StringLiterals;

namespace {

struct Entry
{
    QString type;      // the translation's type attribute ("", "unfinished", "obsolete", "vanished")
    QStringList texts; // the translation (numerus forms run together)
};

// (context, source) -> translation, for every message of a .ts file.
QHash<QString, Entry> readTs(const QString &path, QString &error)
{
    QHash<QString, Entry> out;
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) {
        error = f.errorString();
        return out;
    }
    QXmlStreamReader xml(&f);
    QString context, source;
    Entry entry;
    while (!xml.atEnd()) {
        xml.readNext();
        if (xml.isStartElement()) {
            const auto name = xml.name();
            if (name == "name"_L1) {
                context = xml.readElementText();
            } else if (name == "message"_L1) {
                source.clear();
                entry = {};
            } else if (name == "source"_L1) {
                source = xml.readElementText();
            } else if (name == "translation"_L1) {
                entry.type = xml.attributes().value("type"_L1).toString();
                entry.texts.append(xml.readElementText(QXmlStreamReader::IncludeChildElements));
            }
        } else if (xml.isEndElement() && xml.name() == "message"_L1) {
            out.insert(context + u'\x1f' + source, entry);
        }
    }
    if (xml.hasError())
        error = xml.errorString();
    return out;
}

} // namespace

class tst_ConsoleTranslations : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void everyStringIsTranslated_data();
    void everyStringIsTranslated();
    void turkishIsTurkish();
};

void tst_ConsoleTranslations::everyStringIsTranslated_data()
{
    QTest::addColumn<QString>("language");
    QTest::newRow("tr") << u"tr"_s;
    QTest::newRow("en") << u"en"_s;
}

void tst_ConsoleTranslations::everyStringIsTranslated()
{
    QFETCH(QString, language);
    QTemporaryDir dir;
    const QString fresh = dir.filePath(u"fresh.ts"_s);
    QProcess lupdate;
    lupdate.setProcessChannelMode(QProcess::MergedChannels);
    lupdate.start(QStringLiteral(SANAYICIN_LUPDATE),
                  {QStringLiteral(SANAYICIN_SOURCE_DIR "/console"), u"-locations"_s, u"none"_s, u"-ts"_s, fresh});
    QVERIFY(lupdate.waitForFinished(120000));
    QVERIFY2(lupdate.exitCode() == 0, lupdate.readAll().constData());

    QString error;
    const QHash<QString, Entry> sources = readTs(fresh, error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QVERIFY2(sources.size() > 100, "lupdate found the console's strings");
    const QHash<QString, Entry> committed =
        readTs(QStringLiteral(SANAYICIN_SOURCE_DIR "/translations/sanayicin_%1.ts").arg(language), error);
    QVERIFY2(error.isEmpty(), qPrintable(error));

    QStringList problems;
    for (auto it = sources.cbegin(); it != sources.cend(); ++it) {
        const QString where = QString(it.key()).replace(u'\x1f', u" | "_s);
        const auto found = committed.constFind(it.key());
        if (found == committed.cend())
            problems.append(u"missing: "_s + where);
        else if (!found->type.isEmpty())
            problems.append(found->type + u": "_s + where);
        else if (found->texts.join(QString()).trimmed().isEmpty())
            problems.append(u"empty: "_s + where);
    }
    QVERIFY2(problems.isEmpty(), qPrintable(problems.join(u'\n')));
}

// The Turkish file is Turkish: its own letters are there, and the words
// moderators look for.
void tst_ConsoleTranslations::turkishIsTurkish()
{
    QString error;
    const QHash<QString, Entry> tr = readTs(QStringLiteral(SANAYICIN_SOURCE_DIR "/translations/sanayicin_tr.ts"), error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QString all;
    for (const Entry &e : tr)
        all += e.texts.join(u' ');
    for (const QString &word : {u"Bağlantılar"_s, u"Şikayetler"_s, u"Kullanıcılar"_s, u"Yasakla"_s, u"Kuyruklar"_s})
        QVERIFY2(all.contains(word), qPrintable(word));
    for (const QChar c : u"ğüşıöçİ"_s)
        QVERIFY2(all.contains(c), qPrintable(QString(c)));
}

QTEST_GUILESS_MAIN(tst_ConsoleTranslations)
#include "tst_console_translations.moc"
