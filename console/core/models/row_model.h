#pragma once

#include <QAbstractTableModel>
#include <QHash>
#include <QJsonArray>
#include <QJsonObject>
#include <QList>
#include <QVariant>
#include <functional>

namespace sanayicin::console {

// One column of a table: where its value is in a row's JSON ("a.b" reaches
// into objects), its title (translated when shown), how it is shown.
struct Column
{
    // Term: a word of the protocol ("open", "ban", "customer") shown
    // translated (context "Terms").
    enum Kind { Text, Number, Time, Flag, Seconds, Term };
    QString field;
    const char *title; // QT_TRANSLATE_NOOP("Columns", ...)
    Kind kind = Text;
};

// A table of JSON rows, each known by a key, that is updated in place: a new
// set of rows is compared with the shown one, and only the rows that left,
// changed or arrived are removed, announced (dataChanged) or inserted, so
// that views keep their selection and scroll position. Never a reset after
// the first fill.
class RowModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Roles { SortRole = Qt::UserRole + 1, KeyRole, JsonRole };
    using KeyOf = std::function<QString(const QJsonObject &)>;

    RowModel(QList<Column> columns, KeyOf keyOf, QObject *parent = nullptr);

    enum class Place { AtEnd, AtTop };

    // The whole set as it is now: rows not in it leave, the others are
    // updated or added (new rows at `place`, in the order given).
    void applyRows(const QJsonArray &rows, Place place = Place::AtEnd);
    // Changes to the shown set (a stream's events): rows added or replaced,
    // then rows removed by key (a key in both leaves); one removal pass and
    // one insertion, new rows at `place`.
    void applyChanges(const QJsonArray &upserts, const QStringList &removedKeys, Place place = Place::AtEnd);
    // One row added or updated.
    void upsert(const QJsonObject &row, Place place = Place::AtEnd);
    void removeKey(const QString &key);
    // Keeps the first `maxRows` rows (a log that grows at the top).
    void trimTo(int maxRows);
    void clear();
    QString keyOf(const QJsonObject &row) const { return m_keyOf(row); }

    int rowOfKey(const QString &key) const { return m_index.value(key, -1); }
    QJsonObject rowAt(int row) const;
    QString keyAt(int row) const;
    // Changes since construction, for tests and the benchmark: the model
    // must never fall back to resets.
    int resetCount() const { return m_resets; }

    // The column titles in the current language.
    void retranslate();

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    static QJsonValue valueAt(const QJsonObject &row, const QString &path);
    // How a value of `kind` reads in a cell.
    static QString format(const QVariant &value, Column::Kind kind);

private:
    struct Row
    {
        QString key;
        QJsonObject json;
        QList<QVariant> values; // one per column, for display and sorting
    };

    Row makeRow(const QString &key, const QJsonObject &json) const;
    void rebuildIndex();
    // Removes the rows not kept, replaces the JSON of updated rows (by their
    // row before the removal), inserts the added ones: the one path of every
    // change, so that each is announced the same way.
    void commit(const QList<bool> &keep, const QList<std::pair<int, QJsonObject>> &updates, QList<Row> added,
                Place place);

    QList<Column> m_columns;
    KeyOf m_keyOf;
    QList<Row> m_rows;
    QHash<QString, int> m_index;
    int m_resets = 0;
};

} // namespace sanayicin::console
