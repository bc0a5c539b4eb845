#include "overview_view.h"

#include "admin_client.h"
#include "chart_panel.h"
#include "series_store.h"

#include <QDateTime>
#include <QFrame>
#include <QGridLayout>
#include <QLabel>
#include <QLocale>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace sanayicin::console {

OverviewView::OverviewView(const ConsoleContext &context, QWidget *parent) : View(context, parent)
{
    setObjectName(u"overviewView"_s);
    m_cardArea = new QWidget(this);
    m_cardLayout = new QGridLayout(m_cardArea);
    m_cardLayout->setContentsMargins(0, 0, 0, 0);
    m_totals = new QLabel(this);
    m_totals->setObjectName(u"clusterTotals"_s);
    m_connections = new ChartPanel(context.series, u"connections/"_s, this);
    m_messages = new ChartPanel(context.series, u"messages_per_s/"_s, this);
    m_latency = new ChartPanel(context.series, u"ack_latency_ms/"_s, this);

    auto *charts = new QGridLayout;
    charts->addWidget(m_connections, 0, 0);
    charts->addWidget(m_messages, 0, 1);
    charts->addWidget(m_latency, 1, 0, 1, 2);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_cardArea);
    layout->addWidget(m_totals);
    layout->addLayout(charts, 1);
    retranslate();
}

void OverviewView::retranslate()
{
    m_connections->setTitle(tr("Connections"));
    m_messages->setTitle(tr("Messages per second"));
    m_latency->setTitle(tr("Ack latency (ms)"));
    showInstances(m_lastInstances);
    addStats(QJsonObject()); // the totals' words
}

void OverviewView::refresh()
{
    if (m_loading)
        return;
    m_loading = true;
    if (!m_historyLoaded)
        loadHistory();
    m_ctx.client->get(u"/admin/instances"_s, {}, this, [this](const ApiResult &r) {
        if (!r.ok()) {
            m_loading = false;
            Q_EMIT message(r.error.describe());
            return;
        }
        const QJsonArray items = r.body.value(u"items"_s).toArray();
        showInstances(items);
        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        qint64 total = 0;
        for (const QJsonValue &v : items) {
            const QJsonObject o = v.toObject();
            const qint64 c = o.value(u"connections"_s).toInteger();
            total += c;
            m_ctx.series->add(u"connections/"_s + o.value(u"id"_s).toString(), now, double(c));
        }
        m_ctx.series->add(u"connections/"_s + tr("cluster"), now, double(total));
        m_ctx.client->get(u"/admin/stats"_s, {}, this, [this](const ApiResult &s) {
            m_loading = false;
            if (s.ok())
                addStats(s.body);
            markData();
        });
    });
}

// The last hour from the daemons' ring buffers, where they keep one.
void OverviewView::loadHistory()
{
    m_historyLoaded = true;
    m_ctx.client->get(u"/admin/stats/series"_s, {}, this, [this](const ApiResult &r) {
        if (!r.ok())
            return;
        const QJsonArray points = r.body.value(u"cluster"_s).toObject().value(u"points"_s).toArray();
        for (const QJsonValue &v : points) {
            const QJsonObject p = v.toObject();
            const qint64 at = QDateTime::fromString(p.value(u"at"_s).toString(), Qt::ISODateWithMs).toMSecsSinceEpoch();
            m_ctx.series->add(u"messages_per_s/"_s + tr("in"), at, p.value(u"messages_in_per_s"_s).toDouble());
            m_ctx.series->add(u"ack_latency_ms/p95"_s, at, p.value(u"ack_latency_p95_ms"_s).toDouble());
        }
    });
}

void OverviewView::addStats(const QJsonObject &stats)
{
    if (!stats.isEmpty()) {
        m_lastStats = stats;
        const qint64 messages = stats.value(u"messages"_s).toInteger();
        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        if (m_lastMessages >= 0 && now > m_lastMessagesAt) {
            const double rate = double(messages - m_lastMessages) * 1000.0 / double(now - m_lastMessagesAt);
            m_ctx.series->add(u"messages_per_s/"_s + tr("stored"), now, qMax(0.0, rate));
        }
        m_lastMessages = messages;
        m_lastMessagesAt = now;
    }
    const QJsonObject users = m_lastStats.value(u"users"_s).toObject();
    const QLocale l;
    m_totals->setText(tr("Users: %1 customers, %2 tradesmen, %3 banned · Messages: %4 (last 24 h: %5) · Open reports: %6")
                          .arg(l.toString(users.value(u"customer"_s).toInteger()),
                               l.toString(users.value(u"tradesman"_s).toInteger()),
                               l.toString(users.value(u"banned"_s).toInteger()),
                               l.toString(m_lastStats.value(u"messages"_s).toInteger()),
                               l.toString(m_lastStats.value(u"messages_last_24h"_s).toInteger()),
                               l.toString(m_lastStats.value(u"open_reports"_s).toInteger())));
}

void OverviewView::showInstances(const QJsonArray &instances)
{
    m_lastInstances = instances;
    QStringList seen;
    const QLocale l;
    int column = 0;
    for (const QJsonValue &v : instances) {
        const QJsonObject o = v.toObject();
        const QString id = o.value(u"id"_s).toString();
        seen.append(id);
        QLabel *&card = m_cards[id];
        if (!card) {
            card = new QLabel(m_cardArea);
            card->setObjectName(u"instanceCard_"_s + id);
            card->setFrameShape(QFrame::StyledPanel);
            card->setMargin(8);
            card->setTextFormat(Qt::PlainText);
        }
        m_cardLayout->addWidget(card, 0, column++);
        const QString state = o.value(u"state"_s).toString(u"ok"_s);
        const bool draining = o.value(u"draining"_s).toBool();
        const bool healthy = state == u"ok"_s && !draining;
        const QString health = draining ? tr("draining") : (healthy ? tr("healthy") : tr("not answering"));
        card->setStyleSheet(healthy ? u"QLabel { background: #e3f4e1; }"_s : u"QLabel { background: #fbe3e1; }"_s);
        card->setText(tr("%1 (%2)\nConnections: %3\nOnline users: %4\nWriter backlog: %5\nVersion %6")
                          .arg(id, health, l.toString(o.value(u"connections"_s).toInteger()),
                               l.toString(o.value(u"online_users"_s).toInteger()),
                               l.toString(o.value(u"writer_backlog"_s).toInteger()), o.value(u"version"_s).toString()));
        card->setAccessibleName(tr("Instance %1").arg(id));
    }
    // Instances that left the list leave the screen.
    for (auto it = m_cards.begin(); it != m_cards.end();) {
        if (!seen.contains(it.key())) {
            delete it.value();
            it = m_cards.erase(it);
        } else {
            ++it;
        }
    }
}

} // namespace sanayicin::console
