#pragma once

#include <QJsonObject>
#include <QJsonValue>
#include <QList>
#include <QString>
#include <QStringList>
#include <optional>
#include <utility>

namespace sanayicin::test {

// The OpenAPI 3.1 document of the HTTP API (resources/openapi/openapi.json),
// with a JSON Schema validator for the keywords the document uses. Any other
// schema keyword is a problem (unsupportedKeywords), so that the document
// cannot say something this validator would silently not check.
class OpenApiDocument
{
public:
    bool load(const QByteArray &json, QString &error);
    const QJsonObject &root() const { return m_root; }

    // Every operation as ("GET", "/api/v1/me").
    QList<std::pair<QString, QString>> operations() const;
    // The operation object; empty when the document has none.
    QJsonObject operation(const QString &method, const QString &pathTemplate) const;
    // The response object listed for `status` ($ref resolved), or nullopt.
    std::optional<QJsonObject> response(const QJsonObject &operation, int status) const;
    // The schema of the operation's JSON request body, or nullopt.
    std::optional<QJsonValue> requestSchema(const QJsonObject &operation) const;

    // Problems of `value` against `schema` (empty: valid); `where` names
    // the place in the instance, e.g. "$.items[0].id".
    QStringList validate(const QJsonValue &schema, const QJsonValue &value,
                         const QString &where = QStringLiteral("$")) const;

    // Schema keywords (and unresolvable $refs) anywhere in the document that
    // validate() does not handle.
    QStringList unsupportedKeywords() const;

    // Resolves "#/a/b" within the document (JSON Pointer); undefined if absent.
    QJsonValue resolve(const QString &ref) const;

private:
    void validateInto(const QJsonValue &schema, const QJsonValue &value, const QString &where,
                      QStringList &problems, int depth) const;
    void checkSchema(const QJsonValue &schema, const QString &where, QStringList &problems,
                     int depth) const;

    QJsonObject m_root;
};

} // namespace sanayicin::test
