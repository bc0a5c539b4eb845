#pragma once

#include <QChartView>
#include <QHash>

class QDateTimeAxis;
class QLineSeries;
class QValueAxis;

namespace sanayicin::console {

class SeriesStore;

// A live line chart of the series of a SeriesStore whose names start with
// `prefix` ("connections/" draws "connections/node1", ...), over the last
// few minutes.
class ChartPanel : public QChartView
{
    Q_OBJECT
public:
    ChartPanel(SeriesStore *store, const QString &prefix, QWidget *parent);

    void setTitle(const QString &title);
    int pointCount() const;

private:
    void add(const QString &series, qint64 atMs, double value);
    QLineSeries *seriesFor(const QString &name);

    SeriesStore *m_store;
    QString m_prefix;
    QDateTimeAxis *m_x;
    QValueAxis *m_y;
    QHash<QString, QLineSeries *> m_series;
    double m_max = 1;
};

} // namespace sanayicin::console
