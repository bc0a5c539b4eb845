#pragma once

#include "view.h"

#include <QElapsedTimer>

class QLabel;
class QPushButton;

namespace sanayicin::console {

class AdminActions;
class RowModel;
class TablePanel;

// The daemon's own queues of every instance (depth and oldest wait: they
// empty by themselves), the job queues beside them, and the dead letters of
// the selected job queue, which can be retried or dropped.
class QueuesView : public View
{
    Q_OBJECT
public:
    QueuesView(const ConsoleContext &context, QWidget *parent);

    QString title() const override;
    QString key() const override { return QStringLiteral("queues"); }
    void refresh() override;
    QWidget *searchField() override;
    // The daemon's queues (writer, db_readers) of every instance.
    RowModel *model() const { return m_model; }
    RowModel *jobsModel() const { return m_jobs; }
    RowModel *deadModel() const { return m_dead; }
    // The job queue whose dead letters are listed ("" when none is selected).
    QString selectedJobQueue() const;
    // A selected job queue's dead letters are asked for and not yet shown
    // (the capture waits for them).
    bool deadLettersLoading() const { return m_deadLoading; }
    // The job queues' numbers shown are older than `ms` (never loaded: true).
    bool jobsOlderThan(qint64 ms) const { return !m_jobsLoaded.isValid() || m_jobsLoaded.hasExpired(ms); }
    // The selected dead letters back on their queue / dropped (asked first).
    void retrySelected();
    void dropSelected();

protected:
    void retranslate() override;

private:
    void loadDeadLetters();
    // Once, when nothing is selected: the first job queue with dead letters.
    bool selectFirstWithDeadLetters();
    void showTitles();
    void updateButtons();
    QStringList selectedDeadLetters() const;
    void actionDone(bool ok, const QString &text);

    RowModel *m_model;
    TablePanel *m_panel;
    RowModel *m_jobs;
    TablePanel *m_jobsPanel;
    RowModel *m_dead;
    TablePanel *m_deadPanel;
    AdminActions *m_actions;
    QLabel *m_note;
    QLabel *m_jobsTitle;
    QLabel *m_deadTitle;
    QLabel *m_result;
    QPushButton *m_retry;
    QPushButton *m_drop;
    QString m_backend;
    QElapsedTimer m_jobsLoaded;
    QString m_deadQueue; // the queue m_dead lists
    int m_deadLoads = 0; // answers of an older selection are dropped
    bool m_deadLoading = false;
    bool m_autoSelected = false;
};

} // namespace sanayicin::console
