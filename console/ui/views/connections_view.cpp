#include "connections_view.h"

#include "admin_actions.h"
#include "admin_client.h"
#include "listing_view.h"
#include "models/tables.h"
#include "stream/admin_stream.h"
#include "table_panel.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QTableView>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace sanayicin::console {

ConnectionsView::ConnectionsView(const ConsoleContext &context, QWidget *parent) : View(context, parent)
{
    setObjectName(u"connectionsView"_s);
    m_model = makeConnectionsModel(this);
    m_panel = new TablePanel(m_model, u"connections"_s, this);
    m_actions = new AdminActions(context.client, this);
    m_instances = new QLabel(this);
    m_instances->setObjectName(u"connectionsInstances"_s);
    m_kick = new QPushButton(this);
    m_kick->setObjectName(u"kickButton"_s);
    m_kickUser = new QPushButton(this);
    m_kickUser->setObjectName(u"kickUserButton"_s);
    m_ban = new QPushButton(this);
    m_ban->setObjectName(u"banButton"_s);

    connect(m_kick, &QPushButton::clicked, this, &ConnectionsView::kickSelected);
    connect(m_ban, &QPushButton::clicked, this, &ConnectionsView::banSelected);
    connect(m_kickUser, &QPushButton::clicked, this, [this] {
        const QList<int> rows = m_panel->selectedSourceRows();
        if (rows.isEmpty())
            return;
        const QJsonObject c = m_model->rowAt(rows.first());
        if (c.value(u"user_id"_s).toInteger() == 0)
            return;
        m_actions->kickUser(c.value(u"user_id"_s).toInteger(), c.value(u"username"_s).toString(),
                            [this](bool, const QString &text) {
                                Q_EMIT message(text);
                                refresh();
                            });
    });

    if (AdminStream *stream = context.stream) {
        connect(stream, &AdminStream::connectionsChanged, this,
                [this](const QJsonArray &opened, const QList<StreamConnectionRef> &closed) {
                    applyEvent([this, opened, closed] { applyConnectionEvents(opened, closed); });
                });
        // Too many changes at once, or events lost: the listing again.
        connect(stream, &AdminStream::connectionsReset, this, &View::reload);
    }

    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_instances, 1);
    buttons->addWidget(m_kick);
    buttons->addWidget(m_kickUser);
    buttons->addWidget(m_ban);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_panel, 1);
    layout->addLayout(buttons);
    retranslate();
}

QWidget *ConnectionsView::searchField()
{
    return m_panel->filter();
}

void ConnectionsView::retranslate()
{
    m_kick->setText(tr("&Close connection"));
    m_kick->setToolTip(tr("Close the selected connections (Ctrl+K)"));
    m_kick->setAccessibleName(tr("Close the selected connections"));
    m_kickUser->setText(tr("Kick &user"));
    m_kickUser->setAccessibleName(tr("Close every connection of the selected user"));
    m_ban->setText(tr("&Ban user"));
    m_ban->setToolTip(tr("Ban the selected connection's user (Ctrl+B)"));
    m_ban->setAccessibleName(tr("Ban the selected connection's user"));
    m_panel->retranslate();
}

void ConnectionsView::applyConnectionEvents(const QJsonArray &opened, const QList<StreamConnectionRef> &closed)
{
    QStringList gone;
    gone.reserve(closed.size());
    for (const StreamConnectionRef &c : closed)
        gone.append(connectionKey(c.instance, c.id));
    m_model->applyChanges(opened, gone);
}

void ConnectionsView::refresh()
{
    if (!beginLoad())
        return;
    m_ctx.client->getAll(u"/admin/connections"_s, {}, 500, this, [this](const ApiResult &r, const QJsonArray &items) {
        if (!r.ok()) {
            endLoad();
            showError(r.error.describe());
            return;
        }
        m_model->applyRows(ListingView::withInstance(r.body, items));
        endLoad();
        // Instances that could not answer are said, not hidden.
        QStringList down;
        const QJsonArray states = r.body.value(u"instances"_s).toArray();
        for (const QJsonValue &v : states) {
            const QJsonObject s = v.toObject();
            const QString state = s.value(u"state"_s).toString();
            if (!state.isEmpty() && state != u"ok"_s)
                down.append(tr("%1: %2").arg(s.value(u"id"_s).toString(), state));
        }
        m_instances->setText(down.isEmpty() ? QString() : tr("Not answering: %1").arg(down.join(u", "_s)));
        markData();
    });
}

void ConnectionsView::kickSelected()
{
    const QList<int> rows = m_panel->selectedSourceRows();
    for (int row : rows) {
        const QJsonObject c = m_model->rowAt(row);
        m_actions->kickConnection(c.value(u"instance"_s).toString(), c.value(u"id"_s).toInteger(),
                                  c.value(u"username"_s).toString(), [this](bool, const QString &text) {
                                      Q_EMIT message(text);
                                      refresh();
                                  });
    }
}

void ConnectionsView::banSelected()
{
    const QList<int> rows = m_panel->selectedSourceRows();
    if (rows.isEmpty())
        return;
    const QJsonObject c = m_model->rowAt(rows.first());
    const qint64 user = c.value(u"user_id"_s).toInteger();
    if (user == 0)
        return;
    m_actions->banUser(user, c.value(u"username"_s).toString(), [this](bool, const QString &text) {
        Q_EMIT message(text);
        refresh();
    });
}

} // namespace sanayicin::console
