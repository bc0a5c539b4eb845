#pragma once

#include "db.h"
#include "protocol/http_bodies.h"
#include "protocol/objects.h"

#include <optional>

namespace sanayicin::store {

// Filters are Turkish-aware case folds (foldForSearch); empty means "any".
struct DirectoryQuery
{
    QString categoryKey;
    QString cityKey;
    QString text; // folded search text, not yet a pattern
    qint64 limit = 20;
    qint64 offset = 0;
};

struct DirectoryPage
{
    QList<Profile> items;
    qint64 total = 0;
};

DirectoryPage searchDirectory(Db &db, const DirectoryQuery &query);
std::optional<Profile> profileOf(Db &db, qint64 userId);
void createEmptyProfile(Db &db, qint64 userId, qint64 nowMs);
void upsertProfile(Db &db, qint64 userId, const ProfileRequest &profile, qint64 nowMs);

// "%text%" with LIKE's wildcards in `text` escaped by a backslash.
QString containsPattern(const QString &text);

} // namespace sanayicin::store
