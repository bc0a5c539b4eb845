#include "directory.h"

#include "cache/directory_cache.h"
#include "db_outcome.h"
#include "delivery/hub.h"
#include "storage/directory_store.h"
#include "text/text_rules.h"
#include "time/clock.h"

namespace sanayicin::chat {

std::optional<ApiError> Directory::mayHaveProfile(const User &user)
{
    if (user.role != Role::Tradesman)
        return ApiError::forbidden(QStringLiteral("only tradesmen have a profile"));
    return std::nullopt;
}

void Directory::saveProfile(const Caller &caller, const User &user, const ProfileRequest &request,
                            ProfileDone done)
{
    if (auto refused = mayHaveProfile(user)) {
        done(*refused);
        return;
    }
    Hub &hub = m_deps.hub;
    DirectoryCache &directory = m_deps.directory;
    QObject *home = caller.home;
    readOutcome<Profile>(
        m_deps.readers, caller, "profile",
        [user, request, &hub](Db &db) -> Outcome<Profile> {
            store::upsertProfile(db, user.id, request, nowMs());
            return Profile{user.id,      user.displayName, request.businessName,
                           request.category, request.city, request.district,
                           request.description, hub.isOnline(user.id)};
        },
        [ref = CallerRef(caller), home, &directory, done = std::move(done)](Outcome<Profile> saved) {
            if (!saved.ok()) {
                done(std::move(saved));
                return;
            }
            // Answer once cached listings can no longer show the old profile.
            directory.invalidate(home, [ref, done, saved = std::move(saved)] {
                if (ref.live())
                    done(saved);
            });
        });
}

void Directory::search(const Caller &caller, const Search &s, PageDone done)
{
    const store::DirectoryQuery query{foldForSearch(s.category), foldForSearch(s.city),
                                      foldForSearch(s.text), s.limit, s.offset};
    const QByteArray key = DirectoryCache::keyFor(query.categoryKey, query.cityKey, query.text,
                                                  query.limit, query.offset);
    Hub &hub = m_deps.hub;
    DirectoryCache &cache = m_deps.directory;
    DbPool &readers = m_deps.readers;
    cache.get(caller.home, key,
              [caller, ref = CallerRef(caller), query, key, &hub, &cache, &readers,
               done = std::move(done)](std::optional<DirectoryPageCache> cached, QByteArray version) {
                  if (!ref.live())
                      return;
                  auto online = [&hub](qint64 id) { return hub.isOnline(id); };
                  if (cached) {
                      done(cached->render(online));
                      return;
                  }
                  readOutcome<QByteArray>(
                      readers, caller, "directory",
                      [query, key, version, online, &cache](Db &db) -> Outcome<QByteArray> {
                          const store::DirectoryPage page = store::searchDirectory(db, query);
                          const DirectoryPageCache entry =
                              DirectoryPageCache::from(page.items, page.total);
                          cache.put(key, version, entry);
                          return entry.render(online);
                      },
                      done);
              });
}

void Directory::get(const Caller &caller, qint64 tradesmanId, ProfileDone done)
{
    Hub &hub = m_deps.hub;
    readOutcome<Profile>(
        m_deps.readers, caller, "tradesman",
        [tradesmanId, &hub](Db &db) -> Outcome<Profile> {
            auto p = store::profileOf(db, tradesmanId);
            if (!p)
                return ApiError::notFound(QStringLiteral("no such tradesman"));
            p->online = hub.isOnline(tradesmanId);
            return *p;
        },
        std::move(done));
}

} // namespace sanayicin::chat
