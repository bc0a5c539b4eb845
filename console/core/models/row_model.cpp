#include "row_model.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QLocale>
#include <QSet>
#include <algorithm>

using namespace Qt::StringLiterals;

namespace sanayicin::console {

namespace {

// Contiguous runs [first, last] of sorted row numbers.
QList<std::pair<int, int>> runs(QList<int> rows)
{
    std::sort(rows.begin(), rows.end());
    QList<std::pair<int, int>> out;
    for (int r : rows) {
        if (!out.isEmpty() && out.last().second + 1 == r)
            out.last().second = r;
        else
            out.append({r, r});
    }
    return out;
}

} // namespace

RowModel::RowModel(QList<Column> columns, KeyOf keyOf, QObject *parent)
    : QAbstractTableModel(parent), m_columns(std::move(columns)), m_keyOf(std::move(keyOf))
{
}

QJsonValue RowModel::valueAt(const QJsonObject &row, const QString &path)
{
    const qsizetype dot = path.indexOf(u'.');
    if (dot < 0)
        return row.value(path);
    return valueAt(row.value(QStringView(path).left(dot)).toObject(), path.mid(dot + 1));
}

RowModel::Row RowModel::makeRow(const QString &key, const QJsonObject &json) const
{
    Row r{key, json, {}};
    r.values.reserve(m_columns.size());
    for (const Column &c : m_columns) {
        const QJsonValue v = valueAt(json, c.field);
        switch (c.kind) {
        case Column::Number:
        case Column::Seconds:
            r.values.append(v.isDouble() ? QVariant(v.toDouble()) : QVariant());
            break;
        case Column::Flag:
            r.values.append(v.isBool() ? QVariant(v.toBool()) : QVariant());
            break;
        case Column::Text:
        case Column::Time:
        case Column::Term:
            r.values.append(v.isString() ? QVariant(v.toString()) : QVariant());
            break;
        }
    }
    return r;
}

void RowModel::rebuildIndex()
{
    m_index.clear();
    m_index.reserve(m_rows.size());
    for (int i = 0; i < m_rows.size(); ++i)
        m_index.insert(m_rows[i].key, i);
}

void RowModel::applyRows(const QJsonArray &rows, Place place)
{
    // One pass over the new set: each row is found by its key among the
    // shown ones (to update) or is new; shown rows not found have left.
    QList<bool> seen(m_rows.size(), false);
    QList<std::pair<int, QJsonObject>> present; // (row shown now, its new JSON)
    present.reserve(qMin(rows.size(), m_rows.size()));
    QList<Row> added;
    QSet<QString> addedKeys;
    for (const QJsonValue &v : rows) {
        QJsonObject o = v.toObject();
        QString key = m_keyOf(o);
        if (key.isEmpty())
            continue;
        const auto it = m_index.constFind(key);
        if (it != m_index.cend()) {
            if (!seen[it.value()]) {
                seen[it.value()] = true;
                present.append({it.value(), std::move(o)});
            }
        } else if (!addedKeys.contains(key)) {
            addedKeys.insert(key);
            added.append(makeRow(key, o));
        }
    }
    commit(seen, present, std::move(added), place);
}

void RowModel::applyChanges(const QJsonArray &upserts, const QStringList &removedKeys, Place place)
{
    const QSet<QString> removed(removedKeys.cbegin(), removedKeys.cend());
    QList<bool> keep(m_rows.size(), true);
    for (const QString &key : removed)
        if (const auto it = m_index.constFind(key); it != m_index.cend())
            keep[it.value()] = false;
    QList<std::pair<int, QJsonObject>> updates;
    QList<Row> added;
    QHash<QString, qsizetype> addedAt; // a key twice in one batch: the later row
    for (const QJsonValue &v : upserts) {
        const QJsonObject o = v.toObject();
        const QString key = m_keyOf(o);
        if (key.isEmpty() || removed.contains(key))
            continue;
        if (const auto it = m_index.constFind(key); it != m_index.cend()) {
            updates.append({it.value(), o});
        } else if (const auto at = addedAt.constFind(key); at != addedAt.cend()) {
            added[at.value()] = makeRow(key, o);
        } else {
            addedAt.insert(key, added.size());
            added.append(makeRow(key, o));
        }
    }
    commit(keep, updates, std::move(added), place);
}

void RowModel::commit(const QList<bool> &keep, const QList<std::pair<int, QJsonObject>> &updates, QList<Row> added,
                      Place place)
{
    // Rows that left, removed run by run from the end so that the row
    // numbers of the runs still to remove stay right. `shift[i]` is how
    // many rows before row i left.
    QList<int> gone;
    QList<int> shift(m_rows.size(), 0);
    for (int i = 0; i < m_rows.size(); ++i) {
        shift[i] = int(gone.size());
        if (!keep[i])
            gone.append(i);
    }
    const auto goneRuns = runs(gone);
    for (auto it = goneRuns.crbegin(); it != goneRuns.crend(); ++it) {
        beginRemoveRows({}, it->first, it->second);
        m_rows.remove(it->first, it->second - it->first + 1);
        endRemoveRows();
    }
    if (!gone.isEmpty())
        rebuildIndex();

    // Rows that changed, announced run by run.
    QList<int> changed;
    for (const auto &[before, json] : updates) {
        const int at = before - shift[before];
        if (json != m_rows[at].json) {
            m_rows[at] = makeRow(m_rows[at].key, json);
            changed.append(at);
        }
    }
    for (const auto &[first, last] : runs(changed))
        Q_EMIT dataChanged(index(first, 0), index(last, int(m_columns.size()) - 1));

    // Rows that arrived, in one insertion.
    if (added.isEmpty())
        return;
    const int count = int(added.size());
    if (place == Place::AtTop) {
        beginInsertRows({}, 0, count - 1);
        m_rows.insert(0, count, Row{});
        for (int i = 0; i < count; ++i)
            m_rows[i] = std::move(added[i]);
        rebuildIndex();
        endInsertRows();
        return;
    }
    const int first = int(m_rows.size());
    beginInsertRows({}, first, first + count - 1);
    for (Row &r : added) {
        m_index.insert(r.key, int(m_rows.size()));
        m_rows.append(std::move(r));
    }
    endInsertRows();
}

void RowModel::upsert(const QJsonObject &row, Place place)
{
    applyChanges(QJsonArray{row}, {}, place);
}

void RowModel::removeKey(const QString &key)
{
    applyChanges({}, {key});
}

void RowModel::trimTo(int maxRows)
{
    if (m_rows.size() <= maxRows)
        return;
    QList<bool> keep(m_rows.size(), false);
    for (int i = 0; i < qMax(0, maxRows); ++i)
        keep[i] = true;
    commit(keep, {}, {}, Place::AtEnd);
}

void RowModel::clear()
{
    if (m_rows.isEmpty())
        return;
    beginResetModel();
    m_rows.clear();
    m_index.clear();
    ++m_resets;
    endResetModel();
}

QJsonObject RowModel::rowAt(int row) const
{
    return row >= 0 && row < m_rows.size() ? m_rows[row].json : QJsonObject();
}

QString RowModel::keyAt(int row) const
{
    return row >= 0 && row < m_rows.size() ? m_rows[row].key : QString();
}

void RowModel::retranslate()
{
    if (!m_columns.isEmpty())
        Q_EMIT headerDataChanged(Qt::Horizontal, 0, int(m_columns.size()) - 1);
    if (!m_rows.isEmpty())
        Q_EMIT dataChanged(index(0, 0), index(int(m_rows.size()) - 1, int(m_columns.size()) - 1),
                           {Qt::DisplayRole});
}

int RowModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int RowModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_columns.size());
}

QString RowModel::format(const QVariant &value, Column::Kind kind)
{
    if (!value.isValid())
        return {};
    switch (kind) {
    case Column::Text:
        return value.toString();
    case Column::Term:
        return QCoreApplication::translate("Terms", value.toString().toUtf8().constData());
    case Column::Number:
        return QLocale().toString(qint64(value.toDouble()));
    case Column::Seconds: {
        const qint64 s = qint64(value.toDouble());
        if (s < 60)
            return QCoreApplication::translate("Columns", "%1 s").arg(s);
        if (s < 3600)
            return QCoreApplication::translate("Columns", "%1 min %2 s").arg(s / 60).arg(s % 60);
        return QCoreApplication::translate("Columns", "%1 h %2 min").arg(s / 3600).arg((s % 3600) / 60);
    }
    case Column::Time: {
        const QDateTime t = QDateTime::fromString(value.toString(), Qt::ISODateWithMs);
        return t.isValid() ? t.toLocalTime().toString(u"yyyy-MM-dd HH:mm:ss"_s) : value.toString();
    }
    case Column::Flag:
        return value.toBool() ? QCoreApplication::translate("Columns", "yes")
                              : QCoreApplication::translate("Columns", "no");
    }
    return {};
}

QVariant RowModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Row &r = m_rows[index.row()];
    const QVariant &v = r.values[index.column()];
    switch (role) {
    case Qt::DisplayRole:
    case Qt::ToolTipRole:
        return format(v, m_columns[index.column()].kind);
    case Qt::TextAlignmentRole:
        return m_columns[index.column()].kind == Column::Number ? QVariant(int(Qt::AlignRight | Qt::AlignVCenter))
                                                                : QVariant();
    case SortRole:
        return v;
    case KeyRole:
        return r.key;
    case JsonRole:
        return r.json;
    default:
        return {};
    }
}

QVariant RowModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || section < 0 || section >= m_columns.size())
        return {};
    if (role == Qt::DisplayRole)
        return QCoreApplication::translate("Columns", m_columns[section].title);
    return {};
}

} // namespace sanayicin::console
