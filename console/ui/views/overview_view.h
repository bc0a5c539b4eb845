#pragma once

#include "view.h"

#include <QHash>
#include <QTimer>
#include <QJsonArray>
#include <QJsonObject>

class QGridLayout;
class QLabel;

namespace sanayicin::console {

class ChartPanel;
struct StreamFrame;

// The cluster at a glance: one card per instance with its health, and live
// charts of connections, messages per second and ack latency.
class OverviewView : public View
{
    Q_OBJECT
public:
    OverviewView(const ConsoleContext &context, QWidget *parent);

    QString title() const override { return tr("Overview"); }
    QString key() const override { return QStringLiteral("overview"); }
    void refresh() override;
    int cardCount() const { return int(m_cards.size()); }
    ChartPanel *connectionsChart() const { return m_connections; }
    ChartPanel *messagesChart() const { return m_messages; }
    ChartPanel *latencyChart() const { return m_latency; }
    // A tick: the cards and every chart's next point.
    void showTick(const StreamFrame &tick);
    // The health of an instance in words ("healthy", "draining", ...).
    static QString healthText(const QString &state, bool draining);

protected:
    void retranslate() override;

private:
    void showInstances(const QJsonArray &instances);
    void addStats(const QJsonObject &stats);
    void fetchSeries(int windowS, int stepS);
    void fetchTotals();

    QWidget *m_cardArea;
    QGridLayout *m_cardLayout;
    QHash<QString, QLabel *> m_cards;
    QJsonArray m_lastInstances;
    QLabel *m_totals;
    QJsonObject m_lastStats;
    ChartPanel *m_connections;
    ChartPanel *m_messages;
    ChartPanel *m_latency;
    qint64 m_lastMessages = -1;
    qint64 m_lastMessagesAt = 0;
    bool m_historyLoaded = false;
    bool m_seriesMissing = false;
    bool m_loading = false;
    // The totals line (database counts the stream does not carry) while live.
    QTimer m_totalsTimer;
};

} // namespace sanayicin::console
