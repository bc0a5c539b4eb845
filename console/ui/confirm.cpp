#include "confirm.h"

#include <QInputDialog>
#include <QMessageBox>
#include <QPushButton>

using namespace Qt::StringLiterals;

namespace sanayicin::console {

bool confirmAction(QWidget *parent, const QString &title, const QString &text, const QString &acceptText)
{
    QMessageBox box(QMessageBox::Warning, title, text, QMessageBox::NoButton, parent);
    box.setObjectName(u"confirmDialog"_s);
    QPushButton *yes = box.addButton(acceptText, QMessageBox::DestructiveRole);
    yes->setObjectName(u"confirmButton"_s);
    QPushButton *no = box.addButton(QMessageBox::Cancel);
    box.setDefaultButton(no);
    box.exec();
    return box.clickedButton() == yes;
}

bool askReason(QWidget *parent, const QString &title, const QString &label, QString &reason)
{
    QInputDialog dialog(parent);
    dialog.setObjectName(u"reasonDialog"_s);
    dialog.setWindowTitle(title);
    dialog.setLabelText(label);
    dialog.setTextValue(reason);
    if (dialog.exec() != QDialog::Accepted)
        return false;
    reason = dialog.textValue().trimmed().left(1000);
    return true;
}

} // namespace sanayicin::console
