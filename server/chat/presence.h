#pragma once

#include "chat_deps.h"

#include <QtGlobal>

namespace sanayicin::chat {

// Whether a user is online: every transport's live connection says when it
// opens (authenticated) and when it closes. The user's first connection on
// this instance makes them online and the last one to close offline; their
// peers and the other instances hear of it (delivery/). Thread-safe, cheap:
// a counter under a lock, and a post only on the first and the last.
class Presence
{
public:
    explicit Presence(ChatDeps &deps) : m_deps(deps) {}

    void connectionOpened(qint64 userId);
    // Once for each connectionOpened(), when that connection stops
    // receiving (closing, or gone).
    void connectionClosed(qint64 userId);

private:
    ChatDeps &m_deps;
};

} // namespace sanayicin::chat
