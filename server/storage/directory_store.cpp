#include "directory_store.h"

#include "row_readers.h"
#include "text/text_rules.h"

namespace sanayicin::store {

QString containsPattern(const QString &text)
{
    if (text.isEmpty())
        return {};
    QString out;
    out.reserve(text.size() + 4);
    out += QLatin1Char('%');
    for (QChar c : text) {
        if (c == u'%' || c == u'_' || c == u'\\')
            out += QLatin1Char('\\');
        out += c;
    }
    out += QLatin1Char('%');
    return out;
}

DirectoryPage searchDirectory(Db &db, const DirectoryQuery &q)
{
    const QString pattern = containsPattern(q.text);
    DirectoryPage page;
    const DbRows rows = db.query(QStringLiteral("directory_search"),
                                 {q.categoryKey, q.cityKey, pattern, q.limit, q.offset});
    for (int r = 0; r < rows.size(); ++r)
        page.items.push_back(readProfile(rows, r));
    // The count is only needed when the page does not tell it.
    if (q.offset == 0 && page.items.size() < q.limit)
        page.total = page.items.size();
    else
        page.total = db.query(QStringLiteral("directory_count"), {q.categoryKey, q.cityKey, pattern})
                         .int64(0, 0);
    return page;
}

std::optional<Profile> profileOf(Db &db, qint64 userId)
{
    const DbRows rows = db.query(QStringLiteral("profile_by_user"), {userId});
    if (rows.isEmpty())
        return std::nullopt;
    return readProfile(rows, 0);
}

void createEmptyProfile(Db &db, qint64 userId, qint64 nowMs)
{
    db.query(QStringLiteral("profile_insert_empty"), {userId, nowMs});
}

void upsertProfile(Db &db, qint64 userId, const ProfileRequest &p, qint64 nowMs)
{
    const QString searchText = foldForSearch(p.businessName + QLatin1Char('\n') + p.description);
    db.query(QStringLiteral("profile_upsert"),
             {userId, p.businessName, p.category, p.city, p.district, p.description,
              foldForSearch(p.category), foldForSearch(p.city), searchText, nowMs});
}

} // namespace sanayicin::store
