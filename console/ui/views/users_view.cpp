#include "users_view.h"

#include "admin_actions.h"
#include "admin_client.h"
#include "models/tables.h"
#include "table_panel.h"

#include <QHBoxLayout>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSplitter>
#include <QTableView>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace sanayicin::console {

UsersView::UsersView(const ConsoleContext &context, QWidget *parent) : View(context, parent)
{
    setObjectName(u"usersView"_s);
    m_search = new QLineEdit(this);
    m_search->setObjectName(u"userSearch"_s);
    m_search->setClearButtonEnabled(true);
    m_find = new QPushButton(this);
    m_find->setObjectName(u"userSearchButton"_s);
    m_model = makeUsersModel(this);
    m_panel = new TablePanel(m_model, u"users"_s, this);
    m_history = makeLogModel(this);
    m_historyPanel = new TablePanel(m_history, u"userHistory"_s, this);
    m_historyTitle = new QLabel(this);
    m_actions = new AdminActions(context.client, this);
    m_ban = new QPushButton(this);
    m_ban->setObjectName(u"userBanButton"_s);
    m_unban = new QPushButton(this);
    m_unban->setObjectName(u"userUnbanButton"_s);

    connect(m_search, &QLineEdit::returnPressed, this, &UsersView::refresh);
    connect(m_find, &QPushButton::clicked, this, &UsersView::refresh);
    connect(m_panel->table()->selectionModel(), &QItemSelectionModel::selectionChanged, this, &UsersView::loadHistory);
    connect(m_ban, &QPushButton::clicked, this, &UsersView::banSelected);
    connect(m_unban, &QPushButton::clicked, this, [this] {
        const QJsonObject u = selectedUser();
        if (u.isEmpty())
            return;
        m_actions->unbanUser(u.value(u"id"_s).toInteger(), u.value(u"username"_s).toString(),
                             [this](bool, const QString &text) {
                                 Q_EMIT message(text);
                                 refresh();
                             });
    });

    auto *top = new QHBoxLayout;
    top->addWidget(m_search, 1);
    top->addWidget(m_find);
    auto *buttons = new QHBoxLayout;
    buttons->addStretch(1);
    buttons->addWidget(m_ban);
    buttons->addWidget(m_unban);
    auto *upper = new QWidget(this);
    auto *upperLayout = new QVBoxLayout(upper);
    upperLayout->setContentsMargins(0, 0, 0, 0);
    upperLayout->addLayout(top);
    upperLayout->addWidget(m_panel, 1);
    upperLayout->addLayout(buttons);
    auto *lower = new QWidget(this);
    auto *lowerLayout = new QVBoxLayout(lower);
    lowerLayout->setContentsMargins(0, 0, 0, 0);
    lowerLayout->addWidget(m_historyTitle);
    lowerLayout->addWidget(m_historyPanel, 1);
    auto *split = new QSplitter(Qt::Vertical, this);
    split->addWidget(upper);
    split->addWidget(lower);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(split);
    retranslate();
}

QWidget *UsersView::searchField()
{
    return m_search;
}

void UsersView::retranslate()
{
    m_search->setPlaceholderText(tr("Username or display name (Ctrl+F)"));
    m_search->setAccessibleName(tr("Search users"));
    m_find->setText(tr("&Search"));
    m_ban->setText(tr("&Ban"));
    m_ban->setToolTip(tr("Ban the selected user (Ctrl+B)"));
    m_ban->setAccessibleName(tr("Ban the selected user"));
    m_unban->setText(tr("&Unban"));
    m_unban->setAccessibleName(tr("Lift the ban on the selected user"));
    m_historyTitle->setText(tr("Moderation history of the selected user"));
    m_panel->retranslate();
    m_historyPanel->retranslate();
}

QJsonObject UsersView::selectedUser() const
{
    const QList<int> rows = m_panel->selectedSourceRows();
    return rows.isEmpty() ? QJsonObject() : m_model->rowAt(rows.first());
}

void UsersView::refresh()
{
    QUrlQuery q;
    q.addQueryItem(u"q"_s, m_search->text().trimmed());
    m_ctx.client->get(u"/admin/users"_s, q, this, [this](const ApiResult &r) {
        if (!r.ok()) {
            Q_EMIT message(r.error.describe());
            return;
        }
        m_model->applyRows(r.body.value(u"items"_s).toArray());
        markData();
        loadHistory();
    });
}

void UsersView::loadHistory()
{
    const QJsonObject u = selectedUser();
    if (u.isEmpty()) {
        m_history->applyRows({});
        return;
    }
    QUrlQuery q;
    q.addQueryItem(u"target_user_id"_s, QString::number(u.value(u"id"_s).toInteger()));
    m_ctx.client->get(u"/admin/moderation-log"_s, q, this, [this](const ApiResult &r) {
        if (r.ok())
            m_history->applyRows(r.body.value(u"items"_s).toArray());
    });
}

void UsersView::banSelected()
{
    const QJsonObject u = selectedUser();
    if (u.isEmpty())
        return;
    m_actions->banUser(u.value(u"id"_s).toInteger(), u.value(u"username"_s).toString(),
                       [this](bool, const QString &text) {
                           Q_EMIT message(text);
                           refresh();
                       });
}

} // namespace sanayicin::console
