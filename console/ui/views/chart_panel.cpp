#include "chart_panel.h"

#include "series_store.h"

#include <QDateTime>
#include <QDateTimeAxis>
#include <QLineSeries>
#include <QValueAxis>

namespace sanayicin::console {

namespace {

constexpr qint64 kShownMs = 10 * 60 * 1000; // the last ten minutes
constexpr int kMaxPoints = 1200;

} // namespace

// The chart is given to the constructor: QChartView(parent) makes a chart
// of its own that setChart() would release without deleting.
ChartPanel::ChartPanel(SeriesStore *store, const QString &prefix, QWidget *parent)
    : QChartView(new QChart, parent), m_store(store), m_prefix(prefix)
{
    setObjectName(prefix.chopped(1) + QStringLiteral("Chart"));
    QChart *chart = this->chart();
    chart->legend()->setAlignment(Qt::AlignBottom);
    chart->setMargins(QMargins(4, 4, 4, 4));
    m_x = new QDateTimeAxis(chart);
    m_x->setFormat(QStringLiteral("HH:mm"));
    m_x->setTickCount(6);
    m_y = new QValueAxis(chart);
    m_y->setLabelFormat(QStringLiteral("%.0f"));
    m_y->setRange(0, 1);
    chart->addAxis(m_x, Qt::AlignBottom);
    chart->addAxis(m_y, Qt::AlignLeft);
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    m_x->setRange(QDateTime::fromMSecsSinceEpoch(now - kShownMs), QDateTime::fromMSecsSinceEpoch(now));
    setRenderHint(QPainter::Antialiasing);
    setMinimumHeight(180);

    const QStringList names = store->names();
    for (const QString &name : names)
        if (name.startsWith(prefix)) {
            const QList<QPointF> points = store->points(name);
            for (const QPointF &p : points)
                add(name, qint64(p.x()), p.y());
        }
    connect(store, &SeriesStore::pointAdded, this, &ChartPanel::add);
}

void ChartPanel::setTitle(const QString &title)
{
    chart()->setTitle(title);
    setAccessibleName(title);
}

int ChartPanel::pointCount() const
{
    int n = 0;
    for (const QLineSeries *s : m_series)
        n += int(s->count());
    return n;
}

QLineSeries *ChartPanel::seriesFor(const QString &name)
{
    QLineSeries *&s = m_series[name];
    if (!s) {
        s = new QLineSeries(chart());
        s->setName(name.mid(m_prefix.size()));
        chart()->addSeries(s);
        s->attachAxis(m_x);
        s->attachAxis(m_y);
    }
    return s;
}

void ChartPanel::add(const QString &series, qint64 atMs, double value)
{
    if (!series.startsWith(m_prefix))
        return;
    QLineSeries *s = seriesFor(series);
    s->append(double(atMs), value);
    if (s->count() > kMaxPoints)
        s->removePoints(0, s->count() - kMaxPoints);
    if (value > m_max) {
        m_max = value * 1.2;
        m_y->setRange(0, m_max);
    }
    m_x->setRange(QDateTime::fromMSecsSinceEpoch(atMs - kShownMs), QDateTime::fromMSecsSinceEpoch(atMs));
}

} // namespace sanayicin::console
