#pragma once

#include "view.h"

class QLabel;
class QLineEdit;
class QPushButton;

namespace sanayicin::console {

class AdminActions;
class RowModel;
class TablePanel;

// Find a user by username or display name; ban or unban them; see what
// moderators did to them.
class UsersView : public View
{
    Q_OBJECT
public:
    UsersView(const ConsoleContext &context, QWidget *parent);

    QString title() const override { return tr("Users"); }
    QString key() const override { return QStringLiteral("users"); }
    void refresh() override;
    QWidget *searchField() override;
    RowModel *model() const { return m_model; }
    RowModel *historyModel() const { return m_history; }
    void banSelected();

protected:
    void retranslate() override;

private:
    void loadHistory();
    QJsonObject selectedUser() const;

    QLineEdit *m_search;
    QPushButton *m_find;
    RowModel *m_model;
    TablePanel *m_panel;
    RowModel *m_history;
    TablePanel *m_historyPanel;
    QLabel *m_historyTitle;
    AdminActions *m_actions;
    QPushButton *m_ban;
    QPushButton *m_unban;
};

} // namespace sanayicin::console
