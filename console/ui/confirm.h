#pragma once

#include <QString>

class QWidget;

namespace sanayicin::console {

// Asks before a destructive action. The dialog is named "confirmDialog" and
// its accepting button "confirmButton" (tests press it); Cancel is the
// default, so Enter alone does nothing irreversible.
bool confirmAction(QWidget *parent, const QString &title, const QString &text, const QString &acceptText);

// Asks for a reason (may be empty): "reasonDialog". False when cancelled.
bool askReason(QWidget *parent, const QString &title, const QString &label, QString &reason);

} // namespace sanayicin::console
