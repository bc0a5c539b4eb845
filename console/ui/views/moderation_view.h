#pragma once

#include "view.h"

class QCheckBox;
class QLabel;
class QPushButton;

namespace sanayicin::console {

class AdminActions;
class RowModel;
class TablePanel;

// Reports, the reported message in its conversation, and the actions on
// it: select a report, press an action (two clicks, then the confirmation).
class ModerationView : public View
{
    Q_OBJECT
public:
    ModerationView(const ConsoleContext &context, QWidget *parent);

    QString title() const override { return tr("Reports"); }
    QString key() const override { return QStringLiteral("moderation"); }
    void refresh() override;
    QWidget *searchField() override;
    RowModel *model() const { return m_model; }
    RowModel *contextModel() const { return m_context; }

    void nextReport();
    void deleteMessage();
    void banSender();
    void closeReport(bool dismiss);
    // A report_filed or report_resolved frame: the row added, updated, or
    // removed when only open reports are listed.
    void applyReport(const QJsonObject &report);

protected:
    void retranslate() override;

private:
    void showSelected();
    QJsonObject selectedReport() const;
    bool shows(const QJsonObject &report) const;
    void afterAction(bool ok, const QString &text);

    RowModel *m_model;
    TablePanel *m_panel;
    RowModel *m_context;
    TablePanel *m_contextPanel;
    AdminActions *m_actions;
    QCheckBox *m_openOnly;
    QLabel *m_detail;
    QPushButton *m_delete;
    QPushButton *m_ban;
    QPushButton *m_dismiss;
    QPushButton *m_resolve;
    QPushButton *m_next;
};

} // namespace sanayicin::console
