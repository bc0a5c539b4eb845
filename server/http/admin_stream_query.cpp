#include "admin_stream_query.h"

#include "query_string.h"

namespace sanayicin {

std::optional<AdminStreamResume> parseAdminStreamQuery(QByteArrayView encoded, QString &error)
{
    const auto query = QueryString::parse(encoded);
    if (!query) {
        error = QStringLiteral("the query string is not valid UTF-8 form encoding");
        return std::nullopt;
    }
    const auto first = [&](QLatin1StringView name) -> std::optional<QString> {
        if (!query->contains(name))
            return std::nullopt;
        return query->value(name);
    };
    return checkAdminStreamResume(first(QLatin1StringView("stream")),
                                  first(QLatin1StringView("after")), error);
}

} // namespace sanayicin
