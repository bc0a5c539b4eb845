#include "moderation_view.h"

#include "admin_actions.h"
#include "admin_client.h"
#include "models/tables.h"
#include "stream/admin_stream.h"
#include "table_panel.h"

#include <QCheckBox>
#include <QHBoxLayout>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QTableView>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace sanayicin::console {

ModerationView::ModerationView(const ConsoleContext &context, QWidget *parent) : View(context, parent)
{
    setObjectName(u"moderationView"_s);
    m_model = makeReportsModel(this);
    m_panel = new TablePanel(m_model, u"reports"_s, this);
    m_context = makeContextModel(this);
    m_contextPanel = new TablePanel(m_context, u"reportContext"_s, this);
    m_contextPanel->table()->setSortingEnabled(false);
    m_actions = new AdminActions(context.client, this);
    m_openOnly = new QCheckBox(this);
    m_openOnly->setObjectName(u"openReportsOnly"_s);
    m_openOnly->setChecked(true);
    m_detail = new QLabel(this);
    m_detail->setObjectName(u"reportDetail"_s);
    m_detail->setWordWrap(true);
    m_detail->setTextFormat(Qt::PlainText);
    m_detail->setTextInteractionFlags(Qt::TextSelectableByMouse);
    const auto button = [this](const QString &name) {
        auto *b = new QPushButton(this);
        b->setObjectName(name);
        return b;
    };
    m_delete = button(u"deleteMessageButton"_s);
    m_ban = button(u"banSenderButton"_s);
    m_dismiss = button(u"dismissReportButton"_s);
    m_resolve = button(u"resolveReportButton"_s);
    m_next = button(u"nextReportButton"_s);

    connect(m_openOnly, &QCheckBox::toggled, this, &View::reload);
    connect(m_panel->table()->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &ModerationView::showSelected);
    connect(m_delete, &QPushButton::clicked, this, &ModerationView::deleteMessage);
    connect(m_ban, &QPushButton::clicked, this, &ModerationView::banSender);
    connect(m_dismiss, &QPushButton::clicked, this, [this] { closeReport(true); });
    connect(m_resolve, &QPushButton::clicked, this, [this] { closeReport(false); });
    connect(m_next, &QPushButton::clicked, this, &ModerationView::nextReport);

    if (AdminStream *stream = context.stream) {
        connect(stream, &AdminStream::reportFiled, this,
                [this](const QJsonObject &report) { applyEvent([this, report] { applyReport(report); }); });
        connect(stream, &AdminStream::reportResolved, this,
                [this](const QJsonObject &report) { applyEvent([this, report] { applyReport(report); }); });
    }

    auto *top = new QWidget(this);
    auto *topLayout = new QVBoxLayout(top);
    topLayout->setContentsMargins(0, 0, 0, 0);
    topLayout->addWidget(m_openOnly);
    topLayout->addWidget(m_panel, 1);
    auto *bottom = new QWidget(this);
    auto *bottomLayout = new QVBoxLayout(bottom);
    bottomLayout->setContentsMargins(0, 0, 0, 0);
    bottomLayout->addWidget(m_detail);
    bottomLayout->addWidget(m_contextPanel, 1);
    auto *buttons = new QHBoxLayout;
    for (QPushButton *b : {m_delete, m_ban, m_dismiss, m_resolve})
        buttons->addWidget(b);
    buttons->addStretch(1);
    buttons->addWidget(m_next);
    bottomLayout->addLayout(buttons);
    auto *split = new QSplitter(Qt::Vertical, this);
    split->addWidget(top);
    split->addWidget(bottom);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(split);
    retranslate();
    showSelected();
}

QWidget *ModerationView::searchField()
{
    return m_panel->filter();
}

void ModerationView::retranslate()
{
    m_openOnly->setText(tr("Open reports only"));
    m_delete->setText(tr("&Delete message"));
    m_delete->setToolTip(tr("Delete the reported message for everyone (Del)"));
    m_delete->setAccessibleName(tr("Delete the reported message"));
    m_ban->setText(tr("&Ban sender"));
    m_ban->setToolTip(tr("Ban the sender of the reported message (Ctrl+B)"));
    m_ban->setAccessibleName(tr("Ban the sender of the reported message"));
    m_dismiss->setText(tr("D&ismiss"));
    m_dismiss->setToolTip(tr("Nothing wrong: close the report (Ctrl+D)"));
    m_dismiss->setAccessibleName(tr("Dismiss the report"));
    m_resolve->setText(tr("&Resolve"));
    m_resolve->setToolTip(tr("Acted on: close the report (Ctrl+R)"));
    m_resolve->setAccessibleName(tr("Mark the report resolved"));
    m_next->setText(tr("&Next report"));
    m_next->setToolTip(tr("Select the next report (Ctrl+N)"));
    m_next->setAccessibleName(tr("Select the next report"));
    m_panel->retranslate();
    m_contextPanel->retranslate();
    showSelected();
}

namespace {

// Before the state field, "resolved" says as much.
QJsonObject withState(QJsonObject report)
{
    if (!report.contains(u"state"_s))
        report.insert(u"state"_s, report.value(u"resolved"_s).toBool() ? u"resolved"_s : u"open"_s);
    return report;
}

} // namespace

bool ModerationView::shows(const QJsonObject &report) const
{
    return !m_openOnly->isChecked() || report.value(u"state"_s).toString() == u"open"_s;
}

void ModerationView::applyReport(const QJsonObject &report)
{
    // (The selected report's context is not read again: each read is an
    // audited action.)
    const QJsonObject r = withState(report);
    if (shows(r))
        m_model->upsert(r); // a new report at once; a resolved one changes state
    else
        m_model->removeKey(m_model->keyOf(r)); // resolved, and only open ones are listed
}

void ModerationView::refresh()
{
    if (!beginLoad())
        return;
    QUrlQuery q;
    if (m_openOnly->isChecked())
        q.addQueryItem(u"state"_s, u"open"_s);
    m_ctx.client->get(u"/admin/reports"_s, q, this, [this](const ApiResult &r) {
        if (!r.ok()) {
            endLoad();
            showError(r.error.describe());
            return;
        }
        QJsonArray rows;
        const QJsonArray items = r.body.value(u"items"_s).toArray();
        for (const QJsonValue &v : items) {
            const QJsonObject o = withState(v.toObject());
            if (shows(o))
                rows.append(o);
        }
        m_model->applyRows(rows);
        endLoad();
        markData();
        showSelected();
    });
}

QJsonObject ModerationView::selectedReport() const
{
    const QList<int> rows = m_panel->selectedSourceRows();
    return rows.isEmpty() ? QJsonObject() : m_model->rowAt(rows.first());
}

void ModerationView::showSelected()
{
    const QJsonObject report = selectedReport();
    const bool any = !report.isEmpty();
    for (QPushButton *b : {m_delete, m_ban, m_dismiss, m_resolve})
        b->setEnabled(any);
    if (!any) {
        m_detail->setText(tr("Select a report to see the message in its conversation."));
        m_context->applyRows({});
        return;
    }
    const QJsonObject msg = report.value(u"message"_s).toObject();
    const QJsonObject reporter = report.value(u"reporter"_s).toObject();
    m_detail->setText(tr("Report #%1 by %2: \"%3\"\nMessage #%4 from user #%5: \"%6\"")
                          .arg(report.value(u"id"_s).toInteger())
                          .arg(reporter.value(u"username"_s).toString(), report.value(u"reason"_s).toString())
                          .arg(msg.value(u"id"_s).toInteger())
                          .arg(msg.value(u"sender_id"_s).toInteger())
                          .arg(msg.value(u"body"_s).toString()));
    // The messages around it, read through the report (audited by the
    // server); until they arrive, the reported message alone.
    m_context->applyRows(QJsonArray{msg});
    const qint64 reportId = report.value(u"id"_s).toInteger();
    m_ctx.client->get(u"/admin/reports/%1/context"_s.arg(reportId), {}, this, [this, reportId](const ApiResult &r) {
        if (!r.ok() || selectedReport().value(u"id"_s).toInteger() != reportId)
            return;
        m_context->applyRows(r.body.value(u"messages"_s).toArray());
        // The participants by name, beside their ids in the table.
        QStringList names;
        const QJsonArray participants = r.body.value(u"participants"_s).toArray();
        for (const QJsonValue &p : participants)
            names.append(tr("#%1 %2").arg(p.toObject().value(u"id"_s).toInteger())
                             .arg(p.toObject().value(u"username"_s).toString()));
        if (!names.isEmpty())
            m_detail->setText(m_detail->text() + u'\n' + tr("Participants: %1").arg(names.join(u", "_s)));
        const int at = m_context->rowOfKey(QString::number(selectedReport().value(u"message"_s).toObject().value(u"id"_s).toInteger()));
        if (at >= 0)
            m_contextPanel->table()->selectRow(m_contextPanel->proxy()->mapFromSource(m_context->index(at, 0)).row());
    });
}

void ModerationView::nextReport()
{
    QTableView *t = m_panel->table();
    const int count = m_panel->proxy()->rowCount();
    if (count == 0)
        return;
    const int current = t->currentIndex().isValid() ? t->currentIndex().row() : -1;
    t->selectRow((current + 1) % count);
}

void ModerationView::afterAction(bool ok, const QString &text)
{
    Q_EMIT message(text);
    if (ok)
        refresh();
}

void ModerationView::deleteMessage()
{
    const QJsonObject report = selectedReport();
    if (report.isEmpty())
        return;
    m_actions->deleteMessage(report.value(u"message"_s).toObject().value(u"id"_s).toInteger(),
                             [this](bool ok, const QString &text) { afterAction(ok, text); });
}

void ModerationView::banSender()
{
    const QJsonObject report = selectedReport();
    if (report.isEmpty())
        return;
    const qint64 sender = report.value(u"message"_s).toObject().value(u"sender_id"_s).toInteger();
    m_actions->banUser(sender, QString(), [this](bool ok, const QString &text) { afterAction(ok, text); });
}

void ModerationView::closeReport(bool dismiss)
{
    const QJsonObject report = selectedReport();
    if (report.isEmpty())
        return;
    m_actions->closeReport(report.value(u"id"_s).toInteger(), dismiss,
                           [this](bool ok, const QString &text) { afterAction(ok, text); });
}

} // namespace sanayicin::console
