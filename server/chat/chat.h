#pragma once

#include "accounts.h"
#include "administration.h"
#include "admission.h"
#include "chat_deps.h"
#include "conversations.h"
#include "directory.h"
#include "message_reader.h"
#include "messaging.h"
#include "moderation.h"
#include "presence.h"

namespace sanayicin::chat {

// The application layer: every use case once, for every transport. The
// transports (ws/, http/) parse, call one of these and map the outcome to
// their wire; they reach nothing below this layer for chat work.
//
// Replies come back on the calling thread through its mailbox
// (common/threading/mailbox.h) and run only while the Caller lives.
struct Chat
{
    explicit Chat(const ChatDeps &d)
        : deps(d), messaging(deps), reader(deps), conversations(deps), accounts(deps),
          moderation(deps), directory(deps), administration(deps), admission(deps, accounts),
          presence(deps)
    {}

    ChatDeps deps;
    Messaging messaging;
    MessageReader reader;
    Conversations conversations;
    Accounts accounts;
    Moderation moderation;
    Directory directory;
    Administration administration;
    Admission admission;
    Presence presence;
};

} // namespace sanayicin::chat
