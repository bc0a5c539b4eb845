#include "queues_view.h"

#include "admin_actions.h"
#include "admin_client.h"
#include "listing_view.h"
#include "models/tables.h"
#include "table_panel.h"

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

namespace {

// The most dead letters listed at once (the API's own limit).
constexpr int kDeadLettersShown = 1000;

QWidget *stack(QWidget *parent, const QList<QWidget *> &widgets, QLayout *below = nullptr)
{
    auto *w = new QWidget(parent);
    auto *layout = new QVBoxLayout(w);
    layout->setContentsMargins(0, 0, 0, 0);
    for (QWidget *child : widgets)
        layout->addWidget(child, qobject_cast<TablePanel *>(child) ? 1 : 0);
    if (below)
        layout->addLayout(below);
    return w;
}

} // namespace

QueuesView::QueuesView(const ConsoleContext &context, QWidget *parent) : View(context, parent)
{
    setObjectName(u"queuesView"_s);
    m_model = makeQueuesModel(this);
    m_panel = new TablePanel(m_model, u"queues"_s, this);
    m_jobs = makeJobQueuesModel(this);
    m_jobsPanel = new TablePanel(m_jobs, u"jobQueues"_s, this);
    m_jobsPanel->table()->setSelectionMode(QAbstractItemView::SingleSelection);
    m_dead = makeDeadLettersModel(this);
    m_deadPanel = new TablePanel(m_dead, u"deadLetters"_s, this);
    m_actions = new AdminActions(context.client, this);
    m_note = new QLabel(this);
    m_note->setObjectName(u"queuesNote"_s);
    m_note->setWordWrap(true);
    m_jobsTitle = new QLabel(this);
    m_jobsTitle->setObjectName(u"jobQueuesTitle"_s);
    m_deadTitle = new QLabel(this);
    m_deadTitle->setObjectName(u"deadLettersTitle"_s);
    m_result = new QLabel(this);
    m_result->setObjectName(u"deadLettersResult"_s);
    m_result->setWordWrap(true);
    m_result->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_retry = new QPushButton(this);
    m_retry->setObjectName(u"retryDeadLetterButton"_s);
    m_drop = new QPushButton(this);
    m_drop->setObjectName(u"dropDeadLetterButton"_s);

    connect(m_jobsPanel->table()->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &QueuesView::loadDeadLetters);
    connect(m_deadPanel->table()->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &QueuesView::updateButtons);
    connect(m_dead, &QAbstractItemModel::rowsRemoved, this, &QueuesView::updateButtons);
    connect(m_retry, &QPushButton::clicked, this, &QueuesView::retrySelected);
    connect(m_drop, &QPushButton::clicked, this, &QueuesView::dropSelected);

    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_result, 1);
    buttons->addWidget(m_retry);
    buttons->addWidget(m_drop);
    auto *split = new QSplitter(Qt::Vertical, this);
    split->addWidget(stack(split, {m_panel, m_note}));
    split->addWidget(stack(split, {m_jobsTitle, m_jobsPanel}));
    split->addWidget(stack(split, {m_deadTitle, m_deadPanel}, buttons));
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(split);
    updateButtons();
    retranslate();
}

QString QueuesView::title() const
{
    return tr("Queues");
}

QWidget *QueuesView::searchField()
{
    return m_deadPanel->filter();
}

void QueuesView::retranslate()
{
    m_note->setText(tr("The daemon's own queues: depth and the oldest wait only, they empty by themselves. "
                       "A job queue's dead letters (jobs that failed every attempt) can be retried or dropped "
                       "below."));
    m_retry->setText(tr("&Retry"));
    m_retry->setToolTip(tr("Put the selected dead letters back on their queue (Ctrl+Shift+R)"));
    m_retry->setAccessibleName(tr("Retry the selected dead letters"));
    m_drop->setText(tr("Dr&op"));
    m_drop->setToolTip(tr("Drop the selected dead letters for good (Shift+Del)"));
    m_drop->setAccessibleName(tr("Drop the selected dead letters"));
    m_panel->retranslate();
    m_jobsPanel->retranslate();
    m_deadPanel->retranslate();
    // (TablePanel names every table "Table": the two new ones say which.)
    m_jobsPanel->table()->setAccessibleName(tr("Job queues"));
    m_deadPanel->table()->setAccessibleName(tr("Dead letters of the selected job queue"));
    showTitles();
}

void QueuesView::showTitles()
{
    m_jobsTitle->setText(m_backend.isEmpty()
                             ? tr("Job queues")
                             : tr("Job queues (kept in: %1)")
                                   .arg(QCoreApplication::translate("Terms", m_backend.toUtf8().constData())));
    if (m_deadQueue.isEmpty())
        m_deadTitle->setText(tr("Dead letters: select a job queue above."));
    else
        m_deadTitle->setText(tr("Dead letters of %1: %n", nullptr, m_dead->rowCount())
                                 .arg(QCoreApplication::translate("Terms", m_deadQueue.toUtf8().constData())));
}

QString QueuesView::selectedJobQueue() const
{
    const QList<int> rows = m_jobsPanel->selectedSourceRows();
    return rows.isEmpty() ? QString() : m_jobs->rowAt(rows.first()).value(u"name"_s).toString();
}

QStringList QueuesView::selectedDeadLetters() const
{
    QStringList ids;
    for (int row : m_deadPanel->selectedSourceRows())
        ids.append(m_dead->rowAt(row).value(u"id"_s).toString());
    ids.removeAll(QString());
    return ids;
}

void QueuesView::updateButtons()
{
    const bool any = !m_deadQueue.isEmpty() && !selectedDeadLetters().isEmpty();
    m_retry->setEnabled(any);
    m_drop->setEnabled(any);
}

void QueuesView::refresh()
{
    if (!beginLoad())
        return;
    m_ctx.client->get(u"/admin/queues"_s, {}, this, [this](const ApiResult &r) {
        if (!r.ok()) {
            endLoad();
            showError(r.error.describe());
            return;
        }
        m_model->applyRows(ListingView::withInstance(r.body, r.body.value(u"items"_s).toArray()));
        m_jobs->applyRows(r.body.value(u"jobs"_s).toArray());
        m_jobsLoaded.start();
        m_backend = r.body.value(u"jobs_backend"_s).toString();
        endLoad();
        showTitles();
        markData();
        // (A selection made here loads its dead letters itself.)
        if (!selectFirstWithDeadLetters())
            loadDeadLetters();
    });
}

bool QueuesView::selectFirstWithDeadLetters()
{
    if (m_autoSelected || !selectedJobQueue().isEmpty())
        return false;
    for (int row = 0; row < m_jobs->rowCount(); ++row) {
        if (m_jobs->rowAt(row).value(u"dead_letters"_s).toInteger() <= 0)
            continue;
        m_autoSelected = true;
        QTableView *table = m_jobsPanel->table();
        const QModelIndex at = m_jobsPanel->proxy()->mapFromSource(m_jobs->index(row, 0));
        table->selectionModel()->select(at, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
        return true;
    }
    return false;
}

void QueuesView::loadDeadLetters()
{
    const QString queue = selectedJobQueue();
    const int load = ++m_deadLoads;
    if (queue != m_deadQueue) {
        // Another queue's letters are not this one's: the list starts empty.
        m_dead->clear();
        m_deadQueue = queue;
        showTitles();
        updateButtons();
    }
    m_deadLoading = !queue.isEmpty();
    if (queue.isEmpty())
        return;
    QUrlQuery query;
    query.addQueryItem(u"limit"_s, QString::number(kDeadLettersShown));
    m_ctx.client->get(u"/admin/queues/%1/dead"_s.arg(QString::fromLatin1(QUrl::toPercentEncoding(queue))), query,
                      this, [this, load](const ApiResult &r) {
        if (load != m_deadLoads)
            return; // a newer selection or refresh asked since
        m_deadLoading = false;
        if (!r.ok()) {
            m_result->setText(AdminActions::deadLetterError(r.error));
            showError(m_result->text());
            return;
        }
        m_dead->applyRows(r.body.value(u"items"_s).toArray());
        showTitles();
        updateButtons();
    });
}

void QueuesView::actionDone(bool, const QString &text)
{
    m_result->setText(text);
    Q_EMIT message(text);
    // Also when a load is under way: its answer may predate the action.
    reload();
}

void QueuesView::retrySelected()
{
    const QStringList ids = selectedDeadLetters();
    if (m_deadQueue.isEmpty() || ids.isEmpty())
        return;
    m_actions->retryDeadLetters(m_deadQueue, ids, [this](bool ok, const QString &text) { actionDone(ok, text); });
}

void QueuesView::dropSelected()
{
    const QStringList ids = selectedDeadLetters();
    if (m_deadQueue.isEmpty() || ids.isEmpty())
        return;
    m_actions->dropDeadLetters(m_deadQueue, ids, [this](bool ok, const QString &text) { actionDone(ok, text); });
}

} // namespace sanayicin::console
