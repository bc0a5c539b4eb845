#pragma once

#include "caller.h"
#include "chat_deps.h"
#include "outcome.h"
#include "protocol/http_bodies.h"
#include "protocol/objects.h"

#include <QByteArray>
#include <QString>
#include <functional>
#include <optional>

namespace sanayicin::chat {

// The tradesman directory: a tradesman's profile, the search, one entry.
// Listings are cached (cache/directory_cache.h) without the online flags,
// which are added as each answer goes out; a saved profile moves the
// cache's version before the answer, so no listing shows the old one after.
class Directory
{
public:
    explicit Directory(ChatDeps &deps) : m_deps(deps) {}

    struct Search
    {
        QString category; // as the client wrote them: folded here
        QString city;
        QString text;
        qint64 limit = 0;
        qint64 offset = 0;
    };
    // A page as the cache holds it, rendered with the current online
    // flags: {"items":[...],"total":N}. Pre-rendered on purpose: cached
    // entries are JSON, and decoding them to render them again would cost
    // every hit.
    using PageDone = std::function<void(Outcome<QByteArray>)>;
    using ProfileDone = std::function<void(Outcome<Profile>)>;

    // forbidden unless `user` may have a profile (tradesmen only); asked
    // before the request is read, and by saveProfile again.
    static std::optional<ApiError> mayHaveProfile(const User &user);
    void saveProfile(const Caller &caller, const User &user, const ProfileRequest &request,
                     ProfileDone done);
    void search(const Caller &caller, const Search &search, PageDone done);
    // not_found for a user that is not a listed tradesman.
    void get(const Caller &caller, qint64 tradesmanId, ProfileDone done);

private:
    ChatDeps &m_deps;
};

} // namespace sanayicin::chat
