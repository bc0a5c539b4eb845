#pragma once

#include "error_code.h"
#include "objects.h"

#include <QByteArray>
#include <QJsonObject>
#include <QString>
#include <optional>

namespace sanayicin {

// Request bodies of the HTTP API, parsed and validated. Each parser returns
// nullopt and fills `error` (a bad_request sentence) when the body is wrong.

struct RegisterRequest
{
    QString username;
    QString password;
    QString displayName;
    Role role = Role::Customer;
};

struct LoginRequest
{
    QString username;
    QString password;
};

struct ProfileRequest
{
    QString businessName;
    QString category;
    QString city;
    QString district;
    QString description;
};

struct PostMessageRequest
{
    QString body;
    QString clientMsgId;
};

// Decodes a JSON object body: the content type must be JSON, the text valid.
std::optional<QJsonObject> decodeJsonObject(const QByteArray &contentType, const QByteArray &body,
                                            QString &error);

std::optional<RegisterRequest> parseRegister(const QJsonObject &o, QString &error);
std::optional<LoginRequest> parseLogin(const QJsonObject &o, QString &error);
std::optional<ProfileRequest> parseProfile(const QJsonObject &o, QString &error);
std::optional<PostMessageRequest> parsePostMessage(const QJsonObject &o, QString &error);
// {"peer_id"}, {"message_id"}: one positive id.
std::optional<qint64> parseIdField(const QJsonObject &o, const char *name, QString &error);
// {"reason"}: required (reports) or optional (bans).
std::optional<QString> parseReason(const QJsonObject &o, bool required, QString &error);

// {"action": "dismissed" | "actioned", "note"?: 0-1000 characters or null}.
struct ResolveRequest
{
    QString resolution;
    QString note;
};
std::optional<ResolveRequest> parseResolve(const QJsonObject &o, QString &error);

} // namespace sanayicin
