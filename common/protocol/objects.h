#pragma once

#include <QByteArray>
#include <QList>
#include <QString>
#include <optional>

namespace sanayicin {

class JsonWriter;

enum class Role { Customer, Tradesman, Admin };

const char *roleName(Role role);
std::optional<Role> roleFromName(QStringView name);

struct User
{
    qint64 id = 0;
    QString username;
    QString displayName;
    Role role = Role::Customer;
    qint64 createdAtMs = 0;
};

struct Profile
{
    qint64 userId = 0;
    QString displayName;
    QString businessName;
    QString category;
    QString city;
    QString district;
    QString description;
    bool online = false;
};

struct Message
{
    qint64 id = 0;
    qint64 conversationId = 0;
    qint64 seq = 0;
    qint64 senderId = 0;
    QString body;
    QString clientMsgId;
    qint64 createdAtMs = 0;
    bool deleted = false;
};

struct Participant
{
    User user;
    bool online = false;
    // The other participant does not see the conversation yet (no message,
    // not opened by them): shown only as the public directory would show
    // them, no username, account age or presence (protocol.md).
    bool hidden = false;
};

struct Conversation
{
    qint64 id = 0;
    QList<Participant> participants;
    std::optional<Message> lastMessage;
    qint64 unreadCount = 0;
    qint64 createdAtMs = 0;
};

// JSON as the spec writes each object.
void writeUser(JsonWriter &w, const User &user);
void writeUserWithOnline(JsonWriter &w, const User &user, bool online);
void writeProfile(JsonWriter &w, const Profile &profile);
void writeMessage(JsonWriter &w, const Message &message);
void writeConversation(JsonWriter &w, const Conversation &conversation);

QByteArray userJson(const User &user);
QByteArray profileJson(const Profile &profile);
QByteArray messageJson(const Message &message);
QByteArray conversationJson(const Conversation &conversation);

} // namespace sanayicin
