#pragma once

#include "chat/admin_events.h"

namespace sanayicin {

class AdminFeed;

// The chat layer's AdminEvents on this instance's admin feed, which tells
// the admin streams here and, over Redis, every other instance's.
class FeedAdminEvents final : public chat::AdminEvents
{
public:
    explicit FeedAdminEvents(AdminFeed &feed) : m_feed(feed) {}
    void publish(const QByteArray &type, const QJsonObject &payload) override;

private:
    AdminFeed &m_feed;
};

} // namespace sanayicin
