#pragma once

#include <QHash>
#include <QList>
#include <QObject>
#include <QPointF>
#include <QStringList>

namespace sanayicin::console {

// The points of the Overview's charts: per series ("connections/node1",
// "messages_per_s/cluster", ...) the last hour at most, x in milliseconds
// since the epoch. Fed by the admin API, drawn by the charts.
class SeriesStore : public QObject
{
    Q_OBJECT
public:
    explicit SeriesStore(QObject *parent = nullptr) : QObject(parent) {}

    void setWindowMs(qint64 ms) { m_windowMs = ms; }
    // A point; one older than the series' last is dropped (replayed history).
    void add(const QString &series, qint64 atMs, double value);
    QList<QPointF> points(const QString &series) const { return m_points.value(series); }
    QStringList names() const { return m_points.keys(); }
    int totalPoints() const;
    void clear();

Q_SIGNALS:
    void pointAdded(const QString &series, qint64 atMs, double value);

private:
    QHash<QString, QList<QPointF>> m_points;
    qint64 m_windowMs = 3600 * 1000;
};

} // namespace sanayicin::console
