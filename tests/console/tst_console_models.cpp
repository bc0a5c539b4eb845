// The console's table models under QAbstractItemModelTester, with updates
// applied while it watches: rows change in place (dataChanged for the
// changed rows only), leave and arrive without a reset, and what a view
// holds (persistent indexes: selection, current row) stays on its row.
// Also the token file's permissions and the chart series' window.

#include "models/tables.h"
#include "series_store.h"
#include "token_store.h"

#include <QAbstractItemModelTester>
#include <QFileInfo>
#include <QPersistentModelIndex>
#include <QSignalSpy>
#include <QSortFilterProxyModel>
#include <QTemporaryDir>
#include <QtTest>
#include <functional>

using namespace Qt::StringLiterals;
using namespace sanayicin::console;

namespace {

using Factory = std::function<RowModel *(QObject *)>;

// A row for any of the tables: the key fields every table uses, and a
// value that the tests change.
QJsonObject row(int id, int value, const QString &instance = u"node1"_s)
{
    return {{u"id"_s, id},
            {u"instance"_s, instance},
            {u"name"_s, u"q%1"_s.arg(id)},
            {u"username"_s, u"user_%1"_s.arg(id)},
            {u"connections"_s, value},
            {u"unsent_bytes"_s, value},
            {u"depth"_s, value},
            {u"waiting"_s, value},
            {u"attempts"_s, value},
            {u"reason"_s, u"r%1"_s.arg(value)},
            {u"display_name"_s, u"D%1"_s.arg(value)},
            {u"body"_s, u"b%1"_s.arg(value)},
            {u"at"_s, u"2026-12-03T10:00:0%1.000Z"_s.arg(value % 10)},
            {u"message"_s, QJsonObject{{u"id"_s, id}, {u"body"_s, u"m%1"_s.arg(value)}}}};
}

QJsonArray rows(const QList<std::pair<int, int>> &idValue)
{
    QJsonArray a;
    for (const auto &[id, value] : idValue)
        a.append(row(id, value));
    return a;
}

} // namespace

class tst_ConsoleModels : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void updatesInPlace_data();
    void updatesInPlace();
    void sameInstanceIdsAreDistinctRows();
    void sortsByValueNotText();
    void deadLettersLeaveByTheirId();
    void tenThousandRowsWithoutReset();
    void streamBatchesApplyInPlace();
    void newestAtTheTop();
    void tokenFileIsOwnerOnly();
    void seriesKeepTheirWindow();
};

void tst_ConsoleModels::updatesInPlace_data()
{
    QTest::addColumn<Factory>("factory");
    QTest::newRow("instances") << Factory(makeInstancesModel);
    QTest::newRow("connections") << Factory(makeConnectionsModel);
    QTest::newRow("queues") << Factory(makeQueuesModel);
    QTest::newRow("job queues") << Factory(makeJobQueuesModel);
    QTest::newRow("dead letters") << Factory(makeDeadLettersModel);
    QTest::newRow("reports") << Factory(makeReportsModel);
    QTest::newRow("users") << Factory(makeUsersModel);
    QTest::newRow("log") << Factory(makeLogModel);
    QTest::newRow("context") << Factory(makeContextModel);
}

void tst_ConsoleModels::updatesInPlace()
{
    QFETCH(Factory, factory);
    QObject owner;
    RowModel *model = factory(&owner);
    QAbstractItemModelTester tester(model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSortFilterProxyModel proxy;
    proxy.setSourceModel(model);
    QAbstractItemModelTester proxyTester(&proxy, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QVERIFY(model->columnCount() > 2);
    QVERIFY(!model->headerData(0, Qt::Horizontal).toString().isEmpty());

    model->applyRows(rows({{1, 0}, {2, 0}, {3, 0}, {4, 0}, {5, 0}}));
    QCOMPARE(model->rowCount(), 5);
    const QPersistentModelIndex held = model->index(3, 0); // the row of id 4, as a selection holds it

    QSignalSpy changed(model, &QAbstractItemModel::dataChanged);
    QSignalSpy removed(model, &QAbstractItemModel::rowsRemoved);
    QSignalSpy inserted(model, &QAbstractItemModel::rowsInserted);
    QSignalSpy reset(model, &QAbstractItemModel::modelReset);

    // The same set: nothing is announced.
    model->applyRows(rows({{1, 0}, {2, 0}, {3, 0}, {4, 0}, {5, 0}}));
    QCOMPARE(changed.size() + removed.size() + inserted.size(), 0);

    // 2 leaves, 4 changes, 6 and 7 arrive.
    model->applyRows(rows({{1, 0}, {3, 0}, {4, 9}, {5, 0}, {6, 0}, {7, 0}}));
    QCOMPARE(removed.size(), 1);
    QCOMPARE(removed[0][1].toInt(), 1);
    QCOMPARE(removed[0][2].toInt(), 1);
    QCOMPARE(changed.size(), 1);
    QCOMPARE(changed[0][0].value<QModelIndex>().row(), 2);
    QCOMPARE(changed[0][1].value<QModelIndex>().row(), 2);
    QCOMPARE(inserted.size(), 1);
    QCOMPARE(inserted[0][1].toInt(), 4);
    QCOMPARE(inserted[0][2].toInt(), 5);
    QCOMPARE(model->rowCount(), 6);
    QCOMPARE(held.row(), 2); // still the row of id 4
    QCOMPARE(model->rowAt(held.row()).value(u"id"_s).toInt(), 4);

    // 1, 5 and 7 leave, three runs apart: three removals; the held row
    // follows.
    model->applyRows(rows({{3, 0}, {4, 9}, {6, 0}}));
    QCOMPARE(removed.size(), 4);
    QCOMPARE(model->rowCount(), 3);
    QCOMPARE(model->rowAt(held.row()).value(u"id"_s).toInt(), 4);

    // Stream events: one row updated, one added, one removed.
    model->upsert(row(3, 5));
    QCOMPARE(changed.size(), 2);
    model->upsert(row(8, 0));
    QCOMPARE(model->rowCount(), 4);
    model->removeKey(model->keyAt(0));
    QCOMPARE(model->rowCount(), 3);
    QCOMPARE(model->rowAt(held.row()).value(u"id"_s).toInt(), 4);
    QCOMPARE(reset.size(), 0);
    QCOMPARE(model->resetCount(), 0);

    // Rows without a key are not shown; duplicates count once.
    QJsonArray odd = rows({{4, 9}, {4, 1}});
    odd.append(QJsonObject{{u"nothing"_s, 1}});
    model->applyRows(odd);
    QCOMPARE(model->rowCount(), 1);
    QCOMPARE(model->rowAt(0).value(u"id"_s).toInt(), 4);

    model->clear();
    QCOMPARE(model->rowCount(), 0);
    QVERIFY(!held.isValid());
}

void tst_ConsoleModels::sameInstanceIdsAreDistinctRows()
{
    QObject owner;
    RowModel *model = makeConnectionsModel(&owner);
    QAbstractItemModelTester tester(model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    // Connection ids count per instance: 1 on node1 and 1 on node2 are two.
    model->applyRows({row(1, 0, u"node1"_s), row(1, 0, u"node2"_s), row(2, 0, u"node2"_s)});
    QCOMPARE(model->rowCount(), 3);
    model->applyRows({row(1, 0, u"node2"_s)});
    QCOMPARE(model->rowCount(), 1);
    QCOMPARE(model->rowAt(0).value(u"instance"_s).toString(), u"node2"_s);
}

void tst_ConsoleModels::sortsByValueNotText()
{
    QObject owner;
    RowModel *model = makeConnectionsModel(&owner);
    model->applyRows(rows({{1, 900}, {2, 10000}, {3, 5}}));
    QSortFilterProxyModel proxy;
    proxy.setSourceModel(model);
    proxy.setSortRole(RowModel::SortRole);
    const int unsent = 7; // "Unsent bytes"
    QCOMPARE(model->headerData(unsent, Qt::Horizontal).toString(), u"Unsent bytes"_s);
    proxy.sort(unsent);
    QCOMPARE(proxy.index(0, 1).data(RowModel::SortRole).toInt(), 3);
    QCOMPARE(proxy.index(2, 1).data(RowModel::SortRole).toInt(), 2);
}

// Dead letters as GET /admin/queues/{queue}/dead lists them: string ids
// (a stream entry id, "1733300000000-0"), shown with their type, attempts,
// error and time; a retried or dropped one leaves, and the selection of the
// others stays where it was.
void tst_ConsoleModels::deadLettersLeaveByTheirId()
{
    QObject owner;
    RowModel *model = makeDeadLettersModel(&owner);
    QAbstractItemModelTester tester(model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    const auto letter = [](const QString &id, int attempts, const QString &error) {
        return QJsonObject{{u"id"_s, id},
                           {u"job_id"_s, u"j-"_s + id},
                           {u"type"_s, u"sessions.purge"_s},
                           {u"attempts"_s, attempts},
                           {u"error"_s, error},
                           {u"died_at"_s, u"2026-12-04T17:00:00.000Z"_s}};
    };
    model->applyRows({letter(u"1733300000000-0"_s, 1, u"database down"_s), letter(u"1733300000000-1"_s, 3, u"x"_s),
                      letter(u"1733300000001-0"_s, 2, QString())});
    QCOMPARE(model->rowCount(), 3);
    QCOMPARE(model->headerData(0, Qt::Horizontal).toString(), u"Job type"_s);
    QCOMPARE(model->index(0, 0).data().toString(), u"sessions.purge"_s);
    QCOMPARE(model->index(1, 1).data(RowModel::SortRole).toInt(), 3); // attempts, a number
    QCOMPARE(model->index(0, 5).data().toString(), u"database down"_s);
    QVERIFY(!model->index(0, 2).data().toString().isEmpty()); // died at, as a time
    QCOMPARE(model->index(0, 2).data().toString(),
             RowModel::format(u"2026-12-04T17:00:00.000Z"_s, Column::Time));
    QCOMPARE(model->rowOfKey(u"1733300000000-1"_s), 1);
    const QPersistentModelIndex held = model->index(2, 0);

    // The middle one retried: it alone leaves.
    QSignalSpy removed(model, &QAbstractItemModel::rowsRemoved);
    QSignalSpy changed(model, &QAbstractItemModel::dataChanged);
    model->applyRows({letter(u"1733300000000-0"_s, 1, u"database down"_s), letter(u"1733300000001-0"_s, 2, QString())});
    QCOMPARE(removed.size(), 1);
    QCOMPARE(changed.size(), 0);
    QCOMPARE(model->rowOfKey(u"1733300000000-1"_s), -1);
    QCOMPARE(held.row(), 1);
    QCOMPARE(model->keyAt(held.row()), u"1733300000001-0"_s);
    QCOMPARE(model->resetCount(), 0);
}

void tst_ConsoleModels::tenThousandRowsWithoutReset()
{
    QObject owner;
    RowModel *model = makeConnectionsModel(&owner);
    QList<std::pair<int, int>> all;
    for (int i = 1; i <= 10000; ++i)
        all.append({i, 0});
    model->applyRows(rows(all));
    QSignalSpy changed(model, &QAbstractItemModel::dataChanged);
    for (int i = 0; i < 100; ++i)
        all[i * 100].second = 1; // 100 rows apart: 100 runs
    QElapsedTimer t;
    t.start();
    model->applyRows(rows(all));
    QCOMPARE(changed.size(), 100);
    QCOMPARE(model->rowCount(), 10000);
    QCOMPARE(model->resetCount(), 0);
    qInfo() << "10,000 rows, 100 changed:" << t.elapsed() << "ms (with building the JSON)";
}

// A `connections` frame on the connections table: opened rows added (or
// replaced, when the key is shown), closed ones removed, a key in both
// removed; one removal pass and one insertion; the rows a view holds stay.
void tst_ConsoleModels::streamBatchesApplyInPlace()
{
    QObject owner;
    RowModel *model = makeConnectionsModel(&owner);
    QAbstractItemModelTester tester(model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSortFilterProxyModel proxy;
    proxy.setSourceModel(model);
    proxy.sort(1);
    QAbstractItemModelTester proxyTester(&proxy, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model->applyRows(rows({{1, 0}, {2, 0}, {3, 0}, {4, 0}, {5, 0}, {6, 0}}));
    const QPersistentModelIndex held = model->index(4, 0); // id 5
    const QPersistentModelIndex heldInProxy = proxy.mapFromSource(model->index(4, 0));

    QSignalSpy changed(model, &QAbstractItemModel::dataChanged);
    QSignalSpy removed(model, &QAbstractItemModel::rowsRemoved);
    QSignalSpy inserted(model, &QAbstractItemModel::rowsInserted);
    // Opened: 3 again (changed), 7 and 8 new, 9 both opened and closed
    // (it closed within the tick), 7 twice (the later one counts);
    // closed: 1, 2 (one run), 4, and 99 (not shown).
    QJsonArray opened = rows({{3, 5}, {7, 1}, {8, 0}, {9, 0}, {7, 2}});
    model->applyChanges(opened, {connectionKey(u"node1"_s, 1), connectionKey(u"node1"_s, 2),
                                 connectionKey(u"node1"_s, 4), connectionKey(u"node1"_s, 9),
                                 connectionKey(u"node1"_s, 99)});
    QCOMPARE(removed.size(), 2); // runs {1, 2} and {4}
    QCOMPARE(inserted.size(), 1);
    QCOMPARE(inserted[0][1].toInt(), 3);
    QCOMPARE(inserted[0][2].toInt(), 4);
    QCOMPARE(changed.size(), 1);
    QCOMPARE(model->rowCount(), 5);
    QStringList ids;
    for (int r = 0; r < model->rowCount(); ++r)
        ids.append(QString::number(model->rowAt(r).value(u"id"_s).toInt()));
    QCOMPARE(ids.join(u' '), u"3 5 6 7 8"_s);
    QCOMPARE(model->rowAt(model->rowOfKey(connectionKey(u"node1"_s, 7))).value(u"depth"_s).toInt(), 2);
    QCOMPARE(model->rowAt(model->rowOfKey(connectionKey(u"node1"_s, 3))).value(u"depth"_s).toInt(), 5);
    QCOMPARE(model->rowAt(held.row()).value(u"id"_s).toInt(), 5);
    QCOMPARE(proxy.mapToSource(heldInProxy).row(), held.row());
    QCOMPARE(model->resetCount(), 0);

    // Nothing new: nothing announced.
    changed.clear();
    model->applyChanges(rows({{3, 5}}), {connectionKey(u"node2"_s, 3)});
    QCOMPARE(changed.size() + removed.size() + inserted.size(), 2 + 1);
    QCOMPARE(changed.size(), 0);
}

// The log: entries from the stream at the top, the table kept to its size.
void tst_ConsoleModels::newestAtTheTop()
{
    QObject owner;
    RowModel *model = makeLogModel(&owner);
    QAbstractItemModelTester tester(model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model->applyRows(rows({{3, 0}, {2, 0}, {1, 0}}), RowModel::Place::AtTop);
    const QPersistentModelIndex held = model->index(1, 0); // id 2
    model->upsert(row(4, 0), RowModel::Place::AtTop);
    QCOMPARE(model->rowAt(0).value(u"id"_s).toInt(), 4);
    QCOMPARE(held.row(), 2);
    // A reload that finds entries the stream did not bring puts them on top.
    model->applyRows(rows({{6, 0}, {5, 0}, {4, 0}, {3, 0}, {2, 0}, {1, 0}}), RowModel::Place::AtTop);
    QStringList ids;
    for (int r = 0; r < model->rowCount(); ++r)
        ids.append(QString::number(model->rowAt(r).value(u"id"_s).toInt()));
    QCOMPARE(ids.join(u' '), u"6 5 4 3 2 1"_s);
    model->trimTo(4);
    QCOMPARE(model->rowCount(), 4);
    QCOMPARE(model->rowAt(3).value(u"id"_s).toInt(), 3);
    QCOMPARE(held.row(), -1); // id 2 left
    QCOMPARE(model->rowOfKey(u"6"_s), 0);
    QCOMPARE(model->rowOfKey(u"2"_s), -1);
    QCOMPARE(model->resetCount(), 0);
}

void tst_ConsoleModels::tokenFileIsOwnerOnly()
{
    QTemporaryDir dir;
    TokenStore store;
    store.setKeyringEnabled(false);
    store.setFolder(dir.filePath(u"tokens"_s));
    TokenStore::Place place = TokenStore::Nowhere;
    store.save(u"https://a.example"_s, u"root_admin"_s, u"tok123"_s,
               [&place](TokenStore::Place p, const QString &) { place = p; });
    QCOMPARE(place, TokenStore::File);
    const QString path = store.filePath(u"https://a.example"_s);
    QCOMPARE(QFileInfo(path).permissions() & 0x0777,
             QFileDevice::ReadUser | QFileDevice::WriteUser); // nobody else: no group, no other bits
    QCOMPARE(QFileInfo(dir.filePath(u"tokens"_s)).permissions() & 0x0077, QFileDevice::Permissions());
    QString user, token;
    store.load(u"https://a.example"_s, [&](const QString &u, const QString &t) {
        user = u;
        token = t;
    });
    QCOMPARE(user, u"root_admin"_s);
    QCOMPARE(token, u"tok123"_s);
    // Another server's token is another file.
    store.load(u"https://b.example"_s, [&](const QString &, const QString &t) { token = t; });
    QVERIFY(token.isEmpty());
    store.forget(u"https://a.example"_s);
    QVERIFY(!QFileInfo::exists(path));
}

void tst_ConsoleModels::seriesKeepTheirWindow()
{
    SeriesStore store;
    store.setWindowMs(1000);
    QSignalSpy added(&store, &SeriesStore::pointAdded);
    for (int i = 0; i < 500; ++i)
        store.add(u"connections/node1"_s, 10 * i, i);
    store.add(u"connections/node1"_s, 10, 1); // older than the last: dropped
    QCOMPARE(added.size(), 500);
    const QList<QPointF> points = store.points(u"connections/node1"_s);
    QVERIFY(points.size() <= 101 + 64);
    QCOMPARE(points.last().y(), 499.0);
    QVERIFY(points.first().x() >= 4990 - 1000 - 64 * 10);
}

QTEST_GUILESS_MAIN(tst_ConsoleModels)
#include "tst_console_models.moc"
