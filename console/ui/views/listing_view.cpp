#include "listing_view.h"

#include "admin_client.h"
#include "models/tables.h"
#include "table_panel.h"

#include <QLineEdit>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace sanayicin::console {

ListingView::Spec ListingView::queues()
{
    return {u"queues"_s, QT_TRANSLATE_NOOP("ListingView", "Queues"), u"/admin/queues"_s, {}, makeQueuesModel};
}

ListingView::Spec ListingView::moderationLog()
{
    // The newest 500 entries; the filter narrows them.
    return {u"log"_s, QT_TRANSLATE_NOOP("ListingView", "Moderation log"), u"/admin/moderation-log"_s,
            QUrlQuery(u"limit=500"_s), makeLogModel};
}

ListingView::ListingView(const ConsoleContext &context, const Spec &spec, QWidget *parent)
    : View(context, parent), m_spec(spec)
{
    setObjectName(spec.key + u"View"_s);
    m_model = spec.makeModel(this);
    m_panel = new TablePanel(m_model, spec.key, this);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_panel);
    retranslate();
}

QString ListingView::title() const
{
    return QCoreApplication::translate("ListingView", m_spec.title);
}

QWidget *ListingView::searchField()
{
    return m_panel->filter();
}

void ListingView::retranslate()
{
    m_panel->retranslate();
}

QJsonArray ListingView::withInstance(const QJsonObject &body, const QJsonArray &items)
{
    const QString instance = body.value(u"instance"_s).toString();
    QJsonArray rows;
    for (const QJsonValue &v : items) {
        QJsonObject o = v.toObject();
        if (!o.contains(u"instance"_s))
            o.insert(u"instance"_s, instance);
        rows.append(o);
    }
    return rows;
}

void ListingView::refresh()
{
    if (m_loading)
        return;
    m_loading = true;
    m_ctx.client->get(m_spec.path, m_spec.query, this, [this](const ApiResult &r) {
        m_loading = false;
        if (!r.ok()) {
            Q_EMIT message(r.error.describe());
            return;
        }
        m_model->applyRows(withInstance(r.body, r.body.value(u"items"_s).toArray()));
        markData();
    });
}

} // namespace sanayicin::console
