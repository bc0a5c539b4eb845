// The HTTP API's request bodies on any bytes: decodeJsonObject (content type,
// strict JSON, an object) then every body parser. A parsed request holds
// only what the contract allows (lengths in code points, no blank names, no
// U+0000 or lone surrogate, roles customer/tradesman only, positive ids),
// and written back as JSON it parses to the same request. A resolution's
// action is dismissed or actioned only.

#include "fuzz_checks.h"
#include "protocol/client_frames.h"
#include "protocol/http_bodies.h"
#include "protocol/limits.h"
#include "text/text_rules.h"

#include <QJsonDocument>
#include <cstdint>

namespace {

using namespace sanayicin;
using namespace Qt::StringLiterals;

bool clean(const QString &s, int min, int max)
{
    return fuzz::storable(s) && hasLengthBetween(s, min, max);
}

std::optional<QJsonObject> reread(const QJsonObject &o)
{
    QString error;
    return decodeJsonObject("application/json", QJsonDocument(o).toJson(QJsonDocument::Compact), error);
}

void check(bool ok)
{
    if (!ok)
        __builtin_trap();
}

void bodies(const QJsonObject &o)
{
    QString error;
    if (auto r = parseRegister(o, error)) {
        check(isValidUsername(r->username) && clean(r->password, protocol::kPasswordMin, protocol::kPasswordMax)
              && clean(r->displayName, 1, protocol::kDisplayNameMax) && r->role != Role::Admin);
        const auto again = parseRegister(*reread({{u"username"_s, r->username}, {u"password"_s, r->password},
                                                  {u"display_name"_s, r->displayName},
                                                  {u"role"_s, QLatin1StringView(roleName(r->role))}}),
                                         error);
        check(again && again->username == r->username && again->password == r->password
              && again->displayName == r->displayName && again->role == r->role);
    } else {
        check(!error.isEmpty());
    }
    error.clear();
    if (auto l = parseLogin(o, error))
        check(clean(l->username, 0, 1 << 20) && clean(l->password, 0, 1 << 20));
    else
        check(!error.isEmpty());
    error.clear();
    if (auto p = parseProfile(o, error)) {
        check(clean(p->businessName, 1, protocol::kBusinessNameMax) && !isBlank(p->businessName)
              && clean(p->category, 1, protocol::kCategoryMax) && !isBlank(p->category)
              && clean(p->city, 1, protocol::kCityMax) && !isBlank(p->city)
              && clean(p->district, 0, protocol::kDistrictMax)
              && clean(p->description, 0, protocol::kDescriptionMax));
        const auto again = parseProfile(*reread({{u"business_name"_s, p->businessName},
                                                 {u"category"_s, p->category}, {u"city"_s, p->city},
                                                 {u"district"_s, p->district},
                                                 {u"description"_s, p->description}}),
                                        error);
        check(again && again->businessName == p->businessName && again->category == p->category
              && again->city == p->city && again->district == p->district
              && again->description == p->description);
    } else {
        check(!error.isEmpty());
    }
    error.clear();
    if (auto m = parsePostMessage(o, error)) {
        check(checkClientMsgId(m->clientMsgId).isEmpty() && checkMessageBody(m->body).isEmpty()
              && clean(m->body, 1, protocol::kBodyMax) && clean(m->clientMsgId, 1, protocol::kClientMsgIdMax));
        const auto again = parsePostMessage(
            *reread({{u"body"_s, m->body}, {u"client_msg_id"_s, m->clientMsgId}}), error);
        check(again && again->body == m->body && again->clientMsgId == m->clientMsgId);
    } else {
        check(!error.isEmpty());
    }
    error.clear();
    for (const char *name : {"peer_id", "message_id"}) {
        if (auto id = parseIdField(o, name, error))
            check(*id > 0);
        else
            check(!error.isEmpty());
    }
    for (bool required : {true, false}) {
        error.clear();
        if (auto reason = parseReason(o, required, error))
            check(clean(*reason, required ? 1 : 0, protocol::kReasonMax) && (!required || !isBlank(*reason)));
        else
            check(!error.isEmpty());
    }
    error.clear();
    if (auto r = parseResolve(o, error)) {
        check((r->resolution == u"dismissed"_s || r->resolution == u"actioned"_s)
              && clean(r->note, 0, protocol::kReasonMax));
        const auto again =
            parseResolve(*reread({{u"action"_s, r->resolution}, {u"note"_s, r->note}}), error);
        check(again && again->resolution == r->resolution && again->note == r->note);
    } else {
        check(!error.isEmpty());
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    // The first byte picks the content type; the rest is the body.
    static const QByteArray types[] = {"application/json", "application/json; charset=utf-8",
                                       "Application/JSON;charset=UTF-8", "text/plain", "",
                                       "application/jsonx", "application/problem+json",
                                       " application/json ;x=y"};
    const QByteArray &type = types[data[0] % std::size(types)];
    const QByteArray body(reinterpret_cast<const char *>(data + 1), qsizetype(size - 1));
    QString error;
    const auto o = decodeJsonObject(type, body, error);
    if (!o) {
        check(!error.isEmpty());
        return 0;
    }
    check(type.toLower().contains("application/json") && !type.contains("jsonx"));
    bodies(*o);
    return 0;
}
