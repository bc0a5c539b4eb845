#pragma once

#include "caller.h"
#include "chat_deps.h"
#include "outcome.h"
#include "protocol/objects.h"

#include <functional>

namespace sanayicin::chat {

// Conversations: open one with a peer, list a user's, read one.
class Conversations
{
public:
    explicit Conversations(ChatDeps &deps) : m_deps(deps) {}

    struct Opened
    {
        Conversation conversation;
        bool created = false; // new (201), or the existing one (200)
    };
    struct Page
    {
        QList<Conversation> items;
        qint64 total = 0;
    };
    using OpenDone = std::function<void(Outcome<Opened>)>;
    using PageDone = std::function<void(Outcome<Page>)>;
    using OneDone = std::function<void(Outcome<Conversation>)>;

    // `user` is the caller's account (administrators take no part).
    void open(const Caller &caller, const User &user, qint64 peerId, OpenDone done);
    void list(const Caller &caller, qint64 userId, qint64 limit, qint64 offset, PageDone done);
    void get(const Caller &caller, qint64 userId, qint64 conversationId, OneDone done);

private:
    ChatDeps &m_deps;
};

} // namespace sanayicin::chat
