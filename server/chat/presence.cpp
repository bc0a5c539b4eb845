#include "presence.h"

#include "delivery/hub.h"

namespace sanayicin::chat {

void Presence::connectionOpened(qint64 userId)
{
    m_deps.hub.connectionOpened(userId);
}

void Presence::connectionClosed(qint64 userId)
{
    m_deps.hub.connectionClosed(userId);
}

} // namespace sanayicin::chat
