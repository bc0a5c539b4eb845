#pragma once

#include "view.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QUrlQuery>

class QLabel;

namespace sanayicin::console {

class RowModel;
class TablePanel;

// A view that is one filterable table of one listing of the admin API:
// the moderation log.
class ListingView : public View
{
    Q_OBJECT
public:
    struct Spec
    {
        QString key;       // "log"
        const char *title; // QT_TRANSLATE_NOOP("ListingView", ...)
        QString path;      // "/admin/log"
        QUrlQuery query;
        RowModel *(*makeModel)(QObject *parent);
        const char *note = nullptr; // a sentence under the table (QT_TRANSLATE_NOOP("ListingView", ...))
        bool newestFirst = false;   // rows that arrive go to the top (the log)
    };

    ListingView(const ConsoleContext &context, const Spec &spec, QWidget *parent);

    static Spec moderationLog();

    QString title() const override;
    QString key() const override { return m_spec.key; }
    void refresh() override;
    QWidget *searchField() override;
    RowModel *model() const { return m_model; }
    // A new entry (the log's, from the stream) at the top; the table keeps
    // its newest `maxRows`.
    void addAtTop(const QJsonObject &row, int maxRows);

    // The items of an answer, each naming its instance: an instance that
    // answers for itself names it once in the body, not in each row.
    static QJsonArray withInstance(const QJsonObject &body, const QJsonArray &items);

protected:
    void retranslate() override;

private:
    Spec m_spec;
    RowModel *m_model;
    TablePanel *m_panel;
    QLabel *m_note = nullptr;
};

} // namespace sanayicin::console
