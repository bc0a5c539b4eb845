#pragma once

#include <QWidget>

class QLineEdit;
class QSortFilterProxyModel;
class QTableView;
class QLabel;

namespace sanayicin::console {

class RowModel;

// A filter field over a sortable table of a RowModel, whose column order,
// widths, hidden columns and sort are kept in QSettings under `settingsKey`.
class TablePanel : public QWidget
{
    Q_OBJECT
public:
    TablePanel(RowModel *model, const QString &settingsKey, QWidget *parent);
    ~TablePanel() override;

    QTableView *table() const { return m_table; }
    QLineEdit *filter() const { return m_filter; }
    RowModel *model() const { return m_model; }
    QSortFilterProxyModel *proxy() const { return m_proxy; }
    // The selected rows' JSON (in the source model).
    QList<int> selectedSourceRows() const;
    void retranslate();

private:
    void saveLayout() const;
    void restoreLayout();
    void updateCount();

    RowModel *m_model;
    QSortFilterProxyModel *m_proxy;
    QTableView *m_table;
    QLineEdit *m_filter;
    QLabel *m_count;
    QString m_settingsKey;
};

} // namespace sanayicin::console
