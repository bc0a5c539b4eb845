#include "objects.h"

#include "json/json_writer.h"
#include "time/rfc3339.h"

namespace sanayicin {

const char *roleName(Role role)
{
    switch (role) {
    case Role::Customer: return "customer";
    case Role::Tradesman: return "tradesman";
    case Role::Admin: return "admin";
    }
    return "customer";
}

std::optional<Role> roleFromName(QStringView name)
{
    if (name == u"customer")
        return Role::Customer;
    if (name == u"tradesman")
        return Role::Tradesman;
    if (name == u"admin")
        return Role::Admin;
    return std::nullopt;
}

namespace {

void writeUserFields(JsonWriter &w, const User &u)
{
    w.field("id", u.id);
    w.field("username", u.username);
    w.field("display_name", u.displayName);
    w.key("role").utf8(roleName(u.role));
    w.key("created_at").utf8(formatRfc3339Ms(u.createdAtMs));
}

} // namespace

void writeUser(JsonWriter &w, const User &u)
{
    w.beginObject();
    writeUserFields(w, u);
    w.endObject();
}

void writeUserWithOnline(JsonWriter &w, const User &u, bool online)
{
    w.beginObject();
    writeUserFields(w, u);
    w.field("online", online);
    w.endObject();
}

void writeProfile(JsonWriter &w, const Profile &p)
{
    w.beginObject();
    w.field("user_id", p.userId);
    w.field("display_name", p.displayName);
    w.field("business_name", p.businessName);
    w.field("category", p.category);
    w.field("city", p.city);
    w.field("district", p.district);
    w.field("description", p.description);
    w.field("online", p.online);
    w.endObject();
}

void writeMessage(JsonWriter &w, const Message &m)
{
    w.beginObject();
    w.field("id", m.id);
    w.field("conversation_id", m.conversationId);
    w.field("seq", m.seq);
    w.field("sender_id", m.senderId);
    if (m.deleted)
        w.key("body").utf8("");
    else
        w.field("body", m.body);
    w.field("client_msg_id", m.clientMsgId);
    w.key("created_at").utf8(formatRfc3339Ms(m.createdAtMs));
    if (m.deleted)
        w.field("deleted", true);
    w.endObject();
}

void writeConversation(JsonWriter &w, const Conversation &c)
{
    w.beginObject();
    w.field("id", c.id);
    w.key("participants").beginArray();
    for (const Participant &p : c.participants) {
        if (!p.hidden) {
            writeUserWithOnline(w, p.user, p.online);
            continue;
        }
        // A tradesman's name is on their public card; a customer's is not.
        w.beginObject();
        w.field("id", p.user.id);
        w.field("username", QString());
        w.field("display_name", p.user.role == Role::Tradesman ? p.user.displayName : QString());
        w.key("role").utf8(roleName(p.user.role));
        w.key("created_at").null();
        w.field("online", false);
        w.endObject();
    }
    w.endArray();
    w.key("last_message");
    if (c.lastMessage)
        writeMessage(w, *c.lastMessage);
    else
        w.null();
    w.field("unread_count", c.unreadCount);
    w.key("created_at").utf8(formatRfc3339Ms(c.createdAtMs));
    w.endObject();
}

QByteArray userJson(const User &user)
{
    QByteArray out;
    JsonWriter w(out);
    writeUser(w, user);
    return out;
}

QByteArray profileJson(const Profile &profile)
{
    QByteArray out;
    JsonWriter w(out);
    writeProfile(w, profile);
    return out;
}

QByteArray messageJson(const Message &message)
{
    QByteArray out;
    out.reserve(160 + message.body.size() * 2);
    JsonWriter w(out);
    writeMessage(w, message);
    return out;
}

QByteArray conversationJson(const Conversation &conversation)
{
    QByteArray out;
    JsonWriter w(out);
    writeConversation(w, conversation);
    return out;
}

} // namespace sanayicin
