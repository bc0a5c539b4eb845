// The cost of updating the console's connections table in place: a model of
// 10,000 rows (behind a sorting proxy, as the view has it) receives the
// whole set again with N rows changed, or N gone and N new (polling: each
// applyRows), and a `connections` frame of the admin stream with N events,
// half opened and half closed (applyChanges). Prints the median and the
// worst of 21 rounds.
//
//   cmake --build build --target console-model-bench && build/console/console-model-bench

#include "models/tables.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QSortFilterProxyModel>
#include <QTextStream>
#include <algorithm>

using namespace Qt::StringLiterals;
using namespace sanayicin::console;

namespace {

constexpr int kRows = 10000;
constexpr int kRounds = 21;

QJsonObject connection(int id, qint64 unsent)
{
    return {{u"instance"_s, u"node%1"_s.arg(id % 3 + 1)},
            {u"id"_s, id},
            {u"user_id"_s, 1000 + id},
            {u"username"_s, u"user_%1"_s.arg(id)},
            {u"address"_s, u"10.0.%1.%2"_s.arg(id / 250).arg(id % 250)},
            {u"opened_at"_s, u"2026-12-03T10:00:00.000Z"_s},
            {u"authenticated"_s, true},
            {u"unsent_bytes"_s, unsent}};
}

struct Figures
{
    double medianMs;
    double worstMs;
};

// Runs `round` kRounds times (each given its round number) and times it.
template<typename F>
Figures measure(F round)
{
    QList<double> ms;
    for (int r = 0; r < kRounds; ++r) {
        QElapsedTimer t;
        t.start();
        round(r);
        ms.append(double(t.nsecsElapsed()) / 1e6);
    }
    std::sort(ms.begin(), ms.end());
    return {ms[kRounds / 2], ms.last()};
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QTextStream out(stdout);
    RowModel *model = makeConnectionsModel(&app);
    QSortFilterProxyModel proxy;
    proxy.setSourceModel(model);
    proxy.setSortRole(RowModel::SortRole);
    proxy.sort(3); // by username, as a person might

    QList<QJsonObject> rows;
    for (int i = 0; i < kRows; ++i)
        rows.append(connection(i, 0));
    auto toArray = [&rows] {
        QJsonArray a;
        for (const QJsonObject &o : std::as_const(rows))
            a.append(o);
        return a;
    };
    QElapsedTimer fill;
    fill.start();
    model->applyRows(toArray());
    out << "first fill of " << kRows << " rows: " << double(fill.nsecsElapsed()) / 1e6 << " ms\n";
    out << "rows changed | median ms | worst ms   (10,000 rows, sorted proxy; the set given whole each time)\n";
    int next = kRows;
    for (int n : {0, 1, 10, 100, 1000, 10000}) {
        QList<QJsonArray> inputs;
        for (int r = 0; r < kRounds; ++r) {
            for (int i = 0; i < n; ++i)
                rows[(i * 7919 + r) % kRows] = connection(rows[(i * 7919 + r) % kRows].value(u"id"_s).toInt(),
                                                          r * 100 + i + 1);
            inputs.append(toArray());
        }
        const Figures f = measure([&](int r) { model->applyRows(inputs[r]); });
        out << QString::asprintf("%12d | %9.2f | %8.2f\n", n, f.medianMs, f.worstMs);
    }
    out << "rows replaced (N gone, N new) | median ms | worst ms\n";
    for (int n : {1, 10, 100, 1000}) {
        QList<QJsonArray> inputs;
        for (int r = 0; r < kRounds; ++r) {
            for (int i = 0; i < n; ++i)
                rows[(i * 7919 + r * 13) % kRows] = connection(next++, 0);
            inputs.append(toArray());
        }
        const Figures f = measure([&](int r) { model->applyRows(inputs[r]); });
        out << QString::asprintf("%29d | %9.2f | %8.2f\n", n, f.medianMs, f.worstMs);
    }
    out << "stream batch of N events (N/2 opened, N/2 closed) | median ms | worst ms\n";
    for (int n : {10, 100, 500}) {
        QList<std::pair<QJsonArray, QStringList>> batches;
        for (int r = 0; r < kRounds; ++r) {
            QJsonArray opened;
            QStringList closed;
            for (int i = 0; i < n / 2; ++i) {
                QJsonObject &gone = rows[(i * 7919 + r * 31) % kRows];
                closed.append(connectionKey(gone.value(u"instance"_s).toString(), gone.value(u"id"_s).toInteger()));
                gone = connection(next++, 0);
                opened.append(gone);
            }
            batches.append({opened, closed});
        }
        const Figures f = measure([&](int r) { model->applyChanges(batches[r].first, batches[r].second); });
        out << QString::asprintf("%50d | %9.2f | %8.2f\n", n, f.medianMs, f.worstMs);
    }
    out << "resets: " << model->resetCount() << ", rows: " << model->rowCount() << '\n';
    return model->rowCount() == kRows && model->resetCount() == 0 ? 0 : 1;
}
