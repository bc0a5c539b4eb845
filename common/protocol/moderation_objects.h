#pragma once

#include "objects.h"

#include <QByteArray>
#include <QString>
#include <optional>

namespace sanayicin {

// The console's moderation objects (docs/protocol.md, "Moderation").

// A user's report of a message and what a moderator made of it.
struct Report
{
    qint64 id = 0;
    QString reason;
    qint64 createdAtMs = 0;
    qint64 resolvedAtMs = 0; // 0 while open
    QString resolution;      // "dismissed" or "actioned"; empty while open
    QString note;
    Message message;
    User reporter;
    std::optional<User> resolvedBy;

    bool resolved() const { return resolvedAtMs != 0; }
    // "open", "dismissed" or "actioned".
    QString state() const;
};

// One row of the moderation log.
struct LogEntry
{
    qint64 id = 0;
    qint64 atMs = 0;
    QString action;
    User actor;
    std::optional<User> targetUser;
    qint64 targetMessageId = 0; // 0: none
    qint64 reportId = 0;        // 0: none
    QString reason;
};

// A user as the console's user search shows them.
struct AdminUser
{
    User user;
    qint64 bannedAtMs = 0; // 0: not banned
    QString banReason;
};

void writeReport(JsonWriter &w, const Report &report);
void writeLogEntry(JsonWriter &w, const LogEntry &entry);
void writeAdminUser(JsonWriter &w, const AdminUser &user);
QByteArray reportJson(const Report &report);
QByteArray logEntryJson(const LogEntry &entry);

} // namespace sanayicin
