#pragma once

#include "db.h"
#include "protocol/objects.h"

namespace sanayicin {

// Column layouts shared by several statements.

// id, username, display_name, role, created_at
inline User readUser(const DbRows &rows, int r, int c)
{
    User u;
    u.id = rows.int64(r, c);
    u.username = rows.text(r, c + 1);
    u.displayName = rows.text(r, c + 2);
    u.role = roleFromName(rows.text(r, c + 3)).value_or(Role::Customer);
    u.createdAtMs = rows.int64(r, c + 4);
    return u;
}

// id, conversation_id, seq, sender_id, client_msg_id, body, created_at, deleted_at
inline Message readMessage(const DbRows &rows, int r, int c)
{
    Message m;
    m.id = rows.int64(r, c);
    m.conversationId = rows.int64(r, c + 1);
    m.seq = rows.int64(r, c + 2);
    m.senderId = rows.int64(r, c + 3);
    m.clientMsgId = rows.text(r, c + 4);
    m.body = rows.text(r, c + 5);
    m.createdAtMs = rows.int64(r, c + 6);
    m.deleted = !rows.isNull(r, c + 7);
    if (m.deleted)
        m.body.clear();
    return m;
}

// user id, display_name, business_name, category, city, district, description
inline Profile readProfile(const DbRows &rows, int r)
{
    Profile p;
    p.userId = rows.int64(r, 0);
    p.displayName = rows.text(r, 1);
    p.businessName = rows.text(r, 2);
    p.category = rows.text(r, 3);
    p.city = rows.text(r, 4);
    p.district = rows.text(r, 5);
    p.description = rows.text(r, 6);
    return p;
}

} // namespace sanayicin
