#pragma once

#include "stream/stream_frame.h"
#include "view.h"

class QLabel;
class QPushButton;

namespace sanayicin::console {

class AdminActions;
class RowModel;
class TablePanel;

// Every WebSocket of the cluster, with its instance; close one, kick or ban
// its user.
class ConnectionsView : public View
{
    Q_OBJECT
public:
    ConnectionsView(const ConsoleContext &context, QWidget *parent);

    QString title() const override { return tr("Connections"); }
    QString key() const override { return QStringLiteral("connections"); }
    void refresh() override;
    QWidget *searchField() override;
    RowModel *model() const { return m_model; }
    void kickSelected();
    void banSelected();
    // A `connections` frame: opened rows added or replaced, closed ones
    // removed, in place.
    void applyConnectionEvents(const QJsonArray &opened, const QList<StreamConnectionRef> &closed);

protected:
    void retranslate() override;

private:
    RowModel *m_model;
    TablePanel *m_panel;
    AdminActions *m_actions;
    QLabel *m_instances;
    QPushButton *m_kick;
    QPushButton *m_kickUser;
    QPushButton *m_ban;
};

} // namespace sanayicin::console
