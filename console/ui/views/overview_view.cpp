#include "overview_view.h"

#include "admin_client.h"
#include "chart_panel.h"
#include "series_store.h"
#include "stream/admin_stream.h"

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

    // Live: the ticks feed the cards and charts; the totals (counts from the
    // database) are read again when a report or an action changes them, and
    // once a minute for the message counts.
    m_totalsTimer.setInterval(60000);
    m_totalsTimer.setSingleShot(true);
    connect(&m_totalsTimer, &QTimer::timeout, this, &OverviewView::fetchTotals);
    if (AdminStream *stream = context.stream) {
        connect(stream, &AdminStream::tick, this, &OverviewView::showTick);
        for (auto signal : {&AdminStream::reportFiled, &AdminStream::reportResolved, &AdminStream::moderationEntry})
            connect(stream, signal, this, [this] {
                if (!m_totalsTimer.isActive() || m_totalsTimer.remainingTime() > 1000)
                    m_totalsTimer.start(1000); // a burst of events: one read
            });
        connect(stream, &AdminStream::stateChanged, this, [this](AdminStream::State state) {
            if (state == AdminStream::Live)
                m_totalsTimer.start(60000);
            else
                m_totalsTimer.stop(); // polling reads them
        });
    }
}

void OverviewView::fetchTotals()
{
    m_ctx.client->get(u"/admin/stats"_s, {}, this, [this](const ApiResult &s) {
        if (s.ok())
            addStats(s.body);
    });
    if (m_ctx.stream && m_ctx.stream->state() == AdminStream::Live)
        m_totalsTimer.start(60000);
}

void OverviewView::showTick(const StreamFrame &tick)
{
    QJsonArray instances;
    for (const StreamInstance &i : tick.instances)
        instances.append(i.json);
    showInstances(instances);

    // The server's time places the points (as its series do); a clock far
    // off from this one would drag the charts' axis, so then it is now.
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    const qint64 at = qAbs(tick.atMs - now) > 10 * 60 * 1000 ? now : tick.atMs;
    SeriesStore *series = m_ctx.series;
    double total = 0;
    for (const StreamInstance &i : tick.instances) {
        const double connections = qMax(0.0, i.json.value(u"connections"_s).toDouble());
        total += connections;
        series->add(u"connections/"_s + i.id, at, connections);
        if (!i.point)
            continue;
        if (i.point->messagesIn)
            series->add(u"messages_per_s/"_s + i.id, at, *i.point->messagesIn);
        if (i.point->ackP95Ms)
            series->add(u"ack_latency_ms/"_s + i.id + u" p95"_s, at, *i.point->ackP95Ms);
    }
    series->add(u"connections/cluster"_s, at, total);
    if (const std::optional<StreamPoint> &c = tick.cluster) {
        if (c->messagesIn)
            series->add(u"messages_per_s/in"_s, at, *c->messagesIn);
        if (c->messagesOut)
            series->add(u"messages_per_s/out"_s, at, *c->messagesOut);
        // Absent (null): no message was acknowledged in that second.
        const std::pair<const char *, std::optional<double>> latencies[] = {
            {"p50", c->ackP50Ms}, {"p95", c->ackP95Ms}, {"p99", c->ackP99Ms}};
        for (const auto &[name, ms] : latencies)
            if (ms)
                series->add(u"ack_latency_ms/"_s + QLatin1StringView(name), at, *ms);
    }
    markData();
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
    // The last hour once, at 10 s; then the last minute at 1 s on every
    // refresh (points the chart has already are dropped by the store).
    if (!m_seriesMissing)
        fetchSeries(m_historyLoaded ? 60 : 3600, m_historyLoaded ? 1 : 10);
    m_historyLoaded = true;
    m_ctx.client->get(u"/admin/instances"_s, {}, this, [this](const ApiResult &r) {
        if (!r.ok()) {
            m_loading = false;
            showError(r.error.describe());
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
        m_ctx.series->add(u"connections/cluster"_s, now, double(total));
        m_ctx.client->get(u"/admin/stats"_s, {}, this, [this](const ApiResult &s) {
            m_loading = false;
            if (s.ok())
                addStats(s.body);
            markData();
        });
    });
}

// The cluster's rates and ack latencies from the daemons' ring buffers
// (GET /admin/stats/series). A server without them gets the rate of stored
// messages from /admin/stats instead, and no latency.
void OverviewView::fetchSeries(int windowS, int stepS)
{
    QUrlQuery q;
    q.addQueryItem(u"instance"_s, u"cluster"_s);
    q.addQueryItem(u"window_s"_s, QString::number(windowS));
    q.addQueryItem(u"step_s"_s, QString::number(stepS));
    m_ctx.client->get(u"/admin/stats/series"_s, q, this, [this](const ApiResult &r) {
        if (r.error.kind == ApiError::NotFound) {
            m_seriesMissing = true;
            return;
        }
        if (!r.ok())
            return;
        const QJsonArray points = r.body.value(u"points"_s).toArray();
        for (const QJsonValue &v : points) {
            const QJsonObject p = v.toObject();
            const qint64 at = QDateTime::fromString(p.value(u"t"_s).toString(), Qt::ISODateWithMs).toMSecsSinceEpoch();
            m_ctx.series->add(u"messages_per_s/in"_s, at, p.value(u"messages_in"_s).toDouble());
            m_ctx.series->add(u"messages_per_s/out"_s, at, p.value(u"messages_out"_s).toDouble());
            // null: no message was acknowledged in that second.
            for (const char *pct : {"p50", "p95", "p99"}) {
                const QJsonValue ms = p.value(u"ack_%1_ms"_s.arg(QLatin1StringView(pct)));
                if (ms.isDouble())
                    m_ctx.series->add(u"ack_latency_ms/"_s + QLatin1StringView(pct), at, ms.toDouble());
            }
        }
    });
}

void OverviewView::addStats(const QJsonObject &stats)
{
    if (!stats.isEmpty()) {
        m_lastStats = stats;
        const qint64 messages = stats.value(u"messages"_s).toInteger();
        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        if (m_seriesMissing && m_lastMessages >= 0 && now > m_lastMessagesAt) {
            const double rate = double(messages - m_lastMessages) * 1000.0 / double(now - m_lastMessagesAt);
            m_ctx.series->add(u"messages_per_s/stored"_s, now, qMax(0.0, rate));
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

QString OverviewView::healthText(const QString &state, bool draining)
{
    if (draining || state == u"draining"_s)
        return tr("draining");
    if (state == u"ok"_s)
        return tr("healthy");
    if (state == u"database_down"_s)
        return tr("database down");
    if (state == u"redis_down"_s)
        return tr("Redis down");
    if (state == u"stale"_s)
        return tr("not heard from");
    return tr("not answering");
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
        // Placed again only when its place changed (a tick a second).
        if (card->property("column") != QVariant(column)) {
            m_cardLayout->addWidget(card, 0, column);
            card->setProperty("column", column);
        }
        ++column;
        const QString state = o.value(u"state"_s).toString(u"ok"_s);
        const bool draining = o.value(u"draining"_s).toBool();
        const bool healthy = state == u"ok"_s && !draining;
        const QString health = healthText(state, draining);
        // (A style sheet is costly to apply: only when the health changes.)
        if (const QVariant was = card->property("healthy"); !was.isValid() || was.toBool() != healthy) {
            card->setProperty("healthy", healthy);
            card->setStyleSheet(healthy ? u"QLabel { background: #e3f4e1; }"_s : u"QLabel { background: #fbe3e1; }"_s);
        }
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
