#include "series_store.h"

namespace sanayicin::console {

void SeriesStore::add(const QString &series, qint64 atMs, double value)
{
    QList<QPointF> &points = m_points[series];
    if (!points.isEmpty() && points.last().x() >= double(atMs))
        return;
    points.append(QPointF(double(atMs), value));
    // Older than the window: dropped in batches, not one by one.
    const double oldest = double(atMs - m_windowMs);
    if (points.size() > 64 && points.first().x() < oldest) {
        qsizetype n = 0;
        while (n < points.size() && points[n].x() < oldest)
            ++n;
        points.remove(0, n);
    }
    Q_EMIT pointAdded(series, atMs, value);
}

int SeriesStore::totalPoints() const
{
    int n = 0;
    for (const QList<QPointF> &p : m_points)
        n += int(p.size());
    return n;
}

void SeriesStore::clear()
{
    m_points.clear();
}

} // namespace sanayicin::console
