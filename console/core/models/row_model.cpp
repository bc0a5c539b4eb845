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

void RowModel::applyRows(const QJsonArray &rows)
{
    QHash<QString, QJsonObject> incoming;
    incoming.reserve(rows.size());
    QList<QString> order; // arrival order of the keys, for the new rows
    order.reserve(rows.size());
    for (const QJsonValue &v : rows) {
        const QJsonObject o = v.toObject();
        const QString key = m_keyOf(o);
        if (key.isEmpty() || incoming.contains(key))
            continue;
        incoming.insert(key, o);
        order.append(key);
    }

    // Rows that left, removed run by run from the end so that the row
    // numbers of the runs still to remove stay right.
    QList<int> gone;
    for (int i = 0; i < m_rows.size(); ++i)
        if (!incoming.contains(m_rows[i].key))
            gone.append(i);
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
    for (int i = 0; i < m_rows.size(); ++i) {
        const QJsonObject &now = incoming[m_rows[i].key];
        if (now != m_rows[i].json) {
            m_rows[i] = makeRow(m_rows[i].key, now);
            changed.append(i);
        }
    }
    for (const auto &[first, last] : runs(changed))
        Q_EMIT dataChanged(index(first, 0), index(last, int(m_columns.size()) - 1));

    // Rows that arrived, at the end in one insertion.
    QList<Row> added;
    for (const QString &key : std::as_const(order))
        if (!m_index.contains(key))
            added.append(makeRow(key, incoming[key]));
    if (!added.isEmpty()) {
        const int first = int(m_rows.size());
        beginInsertRows({}, first, first + int(added.size()) - 1);
        for (Row &r : added) {
            m_index.insert(r.key, int(m_rows.size()));
            m_rows.append(std::move(r));
        }
        endInsertRows();
    }
}

void RowModel::upsert(const QJsonObject &row)
{
    const QString key = m_keyOf(row);
    if (key.isEmpty())
        return;
    const int at = rowOfKey(key);
    if (at >= 0) {
        if (m_rows[at].json == row)
            return;
        m_rows[at] = makeRow(key, row);
        Q_EMIT dataChanged(index(at, 0), index(at, int(m_columns.size()) - 1));
        return;
    }
    const int first = int(m_rows.size());
    beginInsertRows({}, first, first);
    m_index.insert(key, first);
    m_rows.append(makeRow(key, row));
    endInsertRows();
}

void RowModel::removeKey(const QString &key)
{
    const int at = rowOfKey(key);
    if (at < 0)
        return;
    beginRemoveRows({}, at, at);
    m_rows.remove(at);
    endRemoveRows();
    rebuildIndex();
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
