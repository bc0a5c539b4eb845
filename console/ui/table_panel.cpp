#include "table_panel.h"

#include "models/row_model.h"

#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QSettings>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace sanayicin::console {

TablePanel::TablePanel(RowModel *model, const QString &settingsKey, QWidget *parent)
    : QWidget(parent), m_model(model), m_settingsKey(settingsKey)
{
    m_filter = new QLineEdit(this);
    m_filter->setObjectName(settingsKey + u"Filter"_s);
    m_filter->setClearButtonEnabled(true);
    m_count = new QLabel(this);

    m_proxy = new QSortFilterProxyModel(this);
    m_proxy->setSourceModel(model);
    m_proxy->setSortRole(RowModel::SortRole);
    m_proxy->setFilterKeyColumn(-1);
    m_proxy->setFilterCaseSensitivity(Qt::CaseInsensitive);
    // A tick's changes must not move rows under the person's eyes while
    // they read (they are re-sorted on the next click of a header).
    m_proxy->setDynamicSortFilter(false);

    m_table = new QTableView(this);
    m_table->setObjectName(settingsKey + u"Table"_s);
    m_table->setModel(m_proxy);
    m_table->setSortingEnabled(true);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setAlternatingRowColors(true);
    m_table->setWordWrap(false);
    m_table->verticalHeader()->hide();
    // Fixed row heights: a table of thousands of rows then never measures
    // every row on a change.
    m_table->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    m_table->horizontalHeader()->setSectionsMovable(true);
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->horizontalHeader()->setContextMenuPolicy(Qt::CustomContextMenu);

    connect(m_filter, &QLineEdit::textChanged, m_proxy, [this](const QString &text) {
        m_proxy->setFilterFixedString(text.trimmed());
        updateCount();
    });
    connect(m_table->horizontalHeader(), &QHeaderView::customContextMenuRequested, this, [this](const QPoint &at) {
        // Which columns to show.
        QMenu menu(this);
        for (int c = 0; c < m_model->columnCount(); ++c) {
            QAction *a = menu.addAction(m_model->headerData(c, Qt::Horizontal).toString());
            a->setCheckable(true);
            a->setChecked(!m_table->isColumnHidden(c));
            connect(a, &QAction::toggled, this, [this, c](bool on) { m_table->setColumnHidden(c, !on); });
        }
        menu.exec(m_table->horizontalHeader()->mapToGlobal(at));
    });
    connect(m_model, &QAbstractItemModel::rowsInserted, this, &TablePanel::updateCount);
    connect(m_model, &QAbstractItemModel::rowsRemoved, this, &TablePanel::updateCount);
    connect(m_model, &QAbstractItemModel::modelReset, this, &TablePanel::updateCount);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    auto *top = new QHBoxLayout;
    top->addWidget(m_filter, 1);
    top->addWidget(m_count);
    layout->addLayout(top);
    layout->addWidget(m_table, 1);
    restoreLayout();
    retranslate();
}

TablePanel::~TablePanel()
{
    saveLayout();
}

void TablePanel::retranslate()
{
    m_filter->setPlaceholderText(tr("Filter (Ctrl+F)"));
    m_filter->setAccessibleName(tr("Filter the table"));
    m_table->setAccessibleName(tr("Table"));
    m_model->retranslate();
    updateCount();
}

void TablePanel::updateCount()
{
    m_count->setText(tr("%1 of %2 rows").arg(m_proxy->rowCount()).arg(m_model->rowCount()));
}

QList<int> TablePanel::selectedSourceRows() const
{
    QList<int> rows;
    const QModelIndexList selected = m_table->selectionModel()->selectedRows();
    for (const QModelIndex &i : selected)
        rows.append(m_proxy->mapToSource(i).row());
    return rows;
}

void TablePanel::saveLayout() const
{
    QSettings s;
    s.setValue(u"columns/"_s + m_settingsKey, m_table->horizontalHeader()->saveState());
}

void TablePanel::restoreLayout()
{
    QSettings s;
    m_table->horizontalHeader()->restoreState(s.value(u"columns/"_s + m_settingsKey).toByteArray());
}

} // namespace sanayicin::console
