#pragma once

#include "caller.h"
#include "outcome.h"
#include "storage/db_pool.h"

#include <functional>

namespace sanayicin::chat {

// A database failure as a client hears it: unavailable when the database
// cannot be reached (retrying makes sense), else internal. Logged here with
// `what`; the client never sees the statement or the driver's words.
ApiError databaseError(const DbError &error, const char *what);

// Runs `work` on the read pool and `done` with its outcome on the calling
// thread, if the caller is still there; a DbError becomes databaseError().
template<typename T>
void readOutcome(DbPool &pool, const Caller &caller, const char *what,
                 std::function<Outcome<T>(Db &)> work, std::function<void(Outcome<T>)> done)
{
    std::function<void(Outcome<T>)> deliver = [done = std::move(done), ref = CallerRef(caller)](
                                                   Outcome<T> o) {
        if (ref.live())
            done(std::move(o));
    };
    pool.run<Outcome<T>>(caller.object, std::move(work), deliver,
                         [deliver, what](const DbError &e) { deliver(databaseError(e, what)); });
}

} // namespace sanayicin::chat
