#include "listing_view.h"

#include "admin_client.h"
#include "models/tables.h"
#include "table_panel.h"

#include <QLabel>
#include <QLineEdit>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace sanayicin::console {

ListingView::Spec ListingView::moderationLog()
{
    // The newest 500 entries; the filter narrows them.
    return {u"log"_s, QT_TRANSLATE_NOOP("ListingView", "Moderation log"), u"/admin/log"_s,
            QUrlQuery(u"limit=500"_s), makeLogModel, nullptr, true};
}

ListingView::ListingView(const ConsoleContext &context, const Spec &spec, QWidget *parent)
    : View(context, parent), m_spec(spec)
{
    setObjectName(spec.key + u"View"_s);
    m_model = spec.makeModel(this);
    m_panel = new TablePanel(m_model, spec.key, this);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_panel);
    if (spec.note) {
        m_note = new QLabel(this);
        m_note->setObjectName(spec.key + u"Note"_s);
        m_note->setWordWrap(true);
        layout->addWidget(m_note);
    }
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
    if (m_note)
        m_note->setText(QCoreApplication::translate("ListingView", m_spec.note));
}

void ListingView::addAtTop(const QJsonObject &row, int maxRows)
{
    applyEvent([this, row, maxRows] {
        m_model->upsert(row, RowModel::Place::AtTop);
        m_model->trimTo(maxRows);
    });
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
    if (!beginLoad())
        return;
    m_ctx.client->get(m_spec.path, m_spec.query, this, [this](const ApiResult &r) {
        if (!r.ok()) {
            endLoad();
            showError(r.error.describe());
            return;
        }
        m_model->applyRows(withInstance(r.body, r.body.value(u"items"_s).toArray()),
                           m_spec.newestFirst ? RowModel::Place::AtTop : RowModel::Place::AtEnd);
        endLoad();
        markData();
    });
}

} // namespace sanayicin::console
