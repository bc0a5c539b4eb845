#include "openapi_document.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QSet>
#include <cmath>

namespace sanayicin::test {

namespace {

constexpr int kMaxDepth = 64;

const QStringList kMethods{QStringLiteral("get"),  QStringLiteral("put"),
                           QStringLiteral("post"), QStringLiteral("delete"),
                           QStringLiteral("patch"), QStringLiteral("head"),
                           QStringLiteral("options"), QStringLiteral("trace")};

// Keywords validate() checks, and annotations that assert nothing.
const QSet<QString> kKeywords{
    QStringLiteral("$ref"),      QStringLiteral("type"),      QStringLiteral("properties"),
    QStringLiteral("required"),  QStringLiteral("additionalProperties"),
    QStringLiteral("items"),     QStringLiteral("enum"),      QStringLiteral("const"),
    QStringLiteral("format"),    QStringLiteral("pattern"),   QStringLiteral("minimum"),
    QStringLiteral("maximum"),   QStringLiteral("minLength"), QStringLiteral("maxLength"),
    QStringLiteral("minItems"),  QStringLiteral("maxItems"),  QStringLiteral("oneOf"),
    // annotations
    QStringLiteral("description"), QStringLiteral("title"), QStringLiteral("default"),
    QStringLiteral("examples"),    QStringLiteral("contentEncoding")};

const QSet<QString> kTypes{QStringLiteral("object"),  QStringLiteral("array"),
                           QStringLiteral("string"),  QStringLiteral("integer"),
                           QStringLiteral("number"),  QStringLiteral("boolean"),
                           QStringLiteral("null")};

const QSet<QString> kFormats{QStringLiteral("int64"), QStringLiteral("date-time")};

QString kindOf(const QJsonValue &v)
{
    switch (v.type()) {
    case QJsonValue::Null: return QStringLiteral("null");
    case QJsonValue::Bool: return QStringLiteral("boolean");
    case QJsonValue::Double: return QStringLiteral("number");
    case QJsonValue::String: return QStringLiteral("string");
    case QJsonValue::Array: return QStringLiteral("array");
    case QJsonValue::Object: return QStringLiteral("object");
    default: return QStringLiteral("nothing");
    }
}

bool isIntegral(const QJsonValue &v)
{
    if (!v.isDouble())
        return false;
    const double d = v.toDouble();
    return std::isfinite(d) && std::floor(d) == d;
}

bool hasType(const QJsonValue &v, const QString &type)
{
    if (type == u"integer")
        return isIntegral(v);
    if (type == u"number")
        return v.isDouble();
    return kindOf(v) == type;
}

QString compact(const QJsonValue &v)
{
    QByteArray text = QJsonDocument(QJsonArray{v}).toJson(QJsonDocument::Compact);
    text = text.mid(1, text.size() - 2);
    if (text.size() > 80)
        text = text.left(77) + "...";
    return QString::fromUtf8(text);
}

} // namespace

bool OpenApiDocument::load(const QByteArray &json, QString &error)
{
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &parseError);
    if (parseError.error != QJsonParseError::NoError || !doc.isObject()) {
        error = QStringLiteral("not a JSON object: ") + parseError.errorString();
        return false;
    }
    m_root = doc.object();
    if (!m_root.value(QStringLiteral("openapi")).toString().startsWith(QStringLiteral("3.1."))) {
        error = QStringLiteral("not an OpenAPI 3.1 document");
        return false;
    }
    return true;
}

QJsonValue OpenApiDocument::resolve(const QString &ref) const
{
    if (!ref.startsWith(QStringLiteral("#/")))
        return QJsonValue(QJsonValue::Undefined);
    QJsonValue at = m_root;
    for (QString part : ref.mid(2).split(QLatin1Char('/'))) {
        part.replace(QStringLiteral("~1"), QStringLiteral("/")).replace(QStringLiteral("~0"), QStringLiteral("~"));
        if (!at.isObject())
            return QJsonValue(QJsonValue::Undefined);
        at = at.toObject().value(part);
    }
    return at;
}

QList<std::pair<QString, QString>> OpenApiDocument::operations() const
{
    QList<std::pair<QString, QString>> out;
    const QJsonObject paths = m_root.value(QStringLiteral("paths")).toObject();
    for (auto it = paths.begin(); it != paths.end(); ++it) {
        const QJsonObject item = it.value().toObject();
        for (const QString &m : kMethods)
            if (item.contains(m))
                out.push_back({m.toUpper(), it.key()});
    }
    return out;
}

QJsonObject OpenApiDocument::operation(const QString &method, const QString &pathTemplate) const
{
    return m_root.value(QStringLiteral("paths"))
        .toObject()
        .value(pathTemplate)
        .toObject()
        .value(method.toLower())
        .toObject();
}

std::optional<QJsonObject> OpenApiDocument::response(const QJsonObject &operation, int status) const
{
    const QJsonObject responses = operation.value(QStringLiteral("responses")).toObject();
    const QString key = QString::number(status);
    if (!responses.contains(key))
        return std::nullopt;
    QJsonObject r = responses.value(key).toObject();
    if (r.contains(QStringLiteral("$ref")))
        r = resolve(r.value(QStringLiteral("$ref")).toString()).toObject();
    return r;
}

std::optional<QJsonValue> OpenApiDocument::requestSchema(const QJsonObject &operation) const
{
    QJsonObject body = operation.value(QStringLiteral("requestBody")).toObject();
    if (body.contains(QStringLiteral("$ref")))
        body = resolve(body.value(QStringLiteral("$ref")).toString()).toObject();
    const QJsonObject media = body.value(QStringLiteral("content"))
                                  .toObject()
                                  .value(QStringLiteral("application/json"))
                                  .toObject();
    if (!media.contains(QStringLiteral("schema")))
        return std::nullopt;
    return media.value(QStringLiteral("schema"));
}

QStringList OpenApiDocument::validate(const QJsonValue &schema, const QJsonValue &value,
                                      const QString &where) const
{
    QStringList problems;
    validateInto(schema, value, where, problems, 0);
    return problems;
}

void OpenApiDocument::validateInto(const QJsonValue &schema, const QJsonValue &value,
                                   const QString &where, QStringList &problems, int depth) const
{
    if (depth > kMaxDepth) {
        problems << where + QStringLiteral(": schema nested too deep (a $ref cycle?)");
        return;
    }
    if (schema.isBool()) {
        if (!schema.toBool())
            problems << where + QStringLiteral(": no value is allowed here");
        return;
    }
    const QJsonObject s = schema.toObject();
    if (s.contains(QStringLiteral("$ref"))) {
        const QString ref = s.value(QStringLiteral("$ref")).toString();
        const QJsonValue target = resolve(ref);
        if (target.isUndefined())
            problems << where + QStringLiteral(": unresolved $ref ") + ref;
        else
            validateInto(target, value, where, problems, depth + 1);
    }
    if (s.contains(QStringLiteral("type"))) {
        const QJsonValue t = s.value(QStringLiteral("type"));
        QStringList types;
        if (t.isArray())
            for (const QJsonValue &one : t.toArray())
                types << one.toString();
        else
            types << t.toString();
        bool any = false;
        for (const QString &type : types)
            any = any || hasType(value, type);
        if (!any) {
            problems << QStringLiteral("%1: expected %2, got %3").arg(where, types.join(u'|'), compact(value));
            return; // the other keywords would only repeat it
        }
    }
    if (s.contains(QStringLiteral("enum")) && !s.value(QStringLiteral("enum")).toArray().contains(value))
        problems << QStringLiteral("%1: %2 is not one of %3")
                        .arg(where, compact(value), compact(s.value(QStringLiteral("enum"))));
    if (s.contains(QStringLiteral("const")) && s.value(QStringLiteral("const")) != value)
        problems << QStringLiteral("%1: %2 is not %3")
                        .arg(where, compact(value), compact(s.value(QStringLiteral("const"))));
    const QString format = s.value(QStringLiteral("format")).toString();
    if (value.isString()) {
        const QString text = value.toString();
        const qsizetype codePoints = text.toUcs4().size();
        if (s.contains(QStringLiteral("minLength")) && codePoints < s.value(QStringLiteral("minLength")).toInteger())
            problems << QStringLiteral("%1: shorter than %2 characters").arg(where).arg(s.value(QStringLiteral("minLength")).toInteger());
        if (s.contains(QStringLiteral("maxLength")) && codePoints > s.value(QStringLiteral("maxLength")).toInteger())
            problems << QStringLiteral("%1: longer than %2 characters").arg(where).arg(s.value(QStringLiteral("maxLength")).toInteger());
        if (s.contains(QStringLiteral("pattern"))) {
            const QRegularExpression re(s.value(QStringLiteral("pattern")).toString());
            if (!re.isValid() || !re.match(text).hasMatch())
                problems << QStringLiteral("%1: %2 does not match %3")
                                .arg(where, compact(value), re.pattern());
        }
        if (format == u"date-time" && !QDateTime::fromString(text, Qt::ISODateWithMs).isValid())
            problems << QStringLiteral("%1: %2 is not an RFC 3339 time").arg(where, compact(value));
    }
    if (value.isDouble()) {
        const double d = value.toDouble();
        if (s.contains(QStringLiteral("minimum")) && d < s.value(QStringLiteral("minimum")).toDouble())
            problems << QStringLiteral("%1: %2 is below the minimum").arg(where, compact(value));
        if (s.contains(QStringLiteral("maximum")) && d > s.value(QStringLiteral("maximum")).toDouble())
            problems << QStringLiteral("%1: %2 is above the maximum").arg(where, compact(value));
        // A 64-bit integer: Qt keeps integer literals that fit exactly.
        if (format == u"int64" && (!isIntegral(value) || value.toInteger(-1) != value.toInteger(0)))
            problems << QStringLiteral("%1: %2 is not a 64-bit integer").arg(where, compact(value));
    }
    if (value.isObject()) {
        const QJsonObject o = value.toObject();
        for (const QJsonValue &name : s.value(QStringLiteral("required")).toArray())
            if (!o.contains(name.toString()))
                problems << QStringLiteral("%1: \"%2\" is missing").arg(where, name.toString());
        const QJsonObject properties = s.value(QStringLiteral("properties")).toObject();
        const QJsonValue additional = s.value(QStringLiteral("additionalProperties"));
        for (auto it = o.begin(); it != o.end(); ++it) {
            const QString at = where + u'.' + it.key();
            if (properties.contains(it.key()))
                validateInto(properties.value(it.key()), it.value(), at, problems, depth + 1);
            else if (!additional.isUndefined())
                validateInto(additional, it.value(), at, problems, depth + 1);
        }
    }
    if (value.isArray()) {
        const QJsonArray a = value.toArray();
        if (s.contains(QStringLiteral("minItems")) && a.size() < s.value(QStringLiteral("minItems")).toInteger())
            problems << QStringLiteral("%1: fewer than %2 items").arg(where).arg(s.value(QStringLiteral("minItems")).toInteger());
        if (s.contains(QStringLiteral("maxItems")) && a.size() > s.value(QStringLiteral("maxItems")).toInteger())
            problems << QStringLiteral("%1: more than %2 items").arg(where).arg(s.value(QStringLiteral("maxItems")).toInteger());
        if (s.contains(QStringLiteral("items")))
            for (qsizetype i = 0; i < a.size(); ++i)
                validateInto(s.value(QStringLiteral("items")), a.at(i),
                             QStringLiteral("%1[%2]").arg(where).arg(i), problems, depth + 1);
    }
    if (s.contains(QStringLiteral("oneOf"))) {
        int matches = 0;
        QStringList why;
        for (const QJsonValue &option : s.value(QStringLiteral("oneOf")).toArray()) {
            QStringList p;
            validateInto(option, value, where, p, depth + 1);
            if (p.isEmpty())
                ++matches;
            else
                why << p;
        }
        if (matches != 1)
            problems << QStringLiteral("%1: matches %2 of oneOf's schemas, not exactly one (%3)")
                            .arg(where)
                            .arg(matches)
                            .arg(why.join(QStringLiteral("; ")));
    }
}

void OpenApiDocument::checkSchema(const QJsonValue &schema, const QString &where,
                                  QStringList &problems, int depth) const
{
    if (depth > kMaxDepth || schema.isBool())
        return;
    if (!schema.isObject()) {
        problems << where + QStringLiteral(": a schema must be an object or a boolean");
        return;
    }
    const QJsonObject s = schema.toObject();
    for (auto it = s.begin(); it != s.end(); ++it) {
        const QString &k = it.key();
        const QString at = where + u'/' + k;
        if (!kKeywords.contains(k)) {
            problems << at + QStringLiteral(": keyword not checked by the test's validator");
            continue;
        }
        if (k == u"$ref" && resolve(it.value().toString()).isUndefined())
            problems << at + QStringLiteral(": unresolved ") + it.value().toString();
        if (k == u"type") {
            const QJsonArray types = it.value().isArray() ? it.value().toArray() : QJsonArray{it.value()};
            for (const QJsonValue &t : types)
                if (!kTypes.contains(t.toString()))
                    problems << at + QStringLiteral(": unknown type ") + compact(t);
        }
        if (k == u"format" && !kFormats.contains(it.value().toString()))
            problems << at + QStringLiteral(": format not checked by the test's validator: ") + it.value().toString();
        if (k == u"pattern" && !QRegularExpression(it.value().toString()).isValid())
            problems << at + QStringLiteral(": invalid pattern");
        if (k == u"properties") {
            const QJsonObject props = it.value().toObject();
            for (auto p = props.begin(); p != props.end(); ++p)
                checkSchema(p.value(), at + u'/' + p.key(), problems, depth + 1);
        }
        if (k == u"items" || (k == u"additionalProperties" && it.value().isObject()))
            checkSchema(it.value(), at, problems, depth + 1);
        if (k == u"oneOf") {
            const QJsonArray options = it.value().toArray();
            for (qsizetype i = 0; i < options.size(); ++i)
                checkSchema(options.at(i), at + u'/' + QString::number(i), problems, depth + 1);
        }
    }
}

QStringList OpenApiDocument::unsupportedKeywords() const
{
    QStringList problems;
    // Every schema: each value of components/schemas and of any "schema" key;
    // and every $ref anywhere must resolve.
    std::function<void(const QJsonValue &, const QString &)> walk = [&](const QJsonValue &v,
                                                                       const QString &where) {
        if (v.isArray()) {
            const QJsonArray a = v.toArray();
            for (qsizetype i = 0; i < a.size(); ++i)
                walk(a.at(i), where + u'/' + QString::number(i));
            return;
        }
        if (!v.isObject())
            return;
        const QJsonObject o = v.toObject();
        for (auto it = o.begin(); it != o.end(); ++it) {
            const QString at = where + u'/' + it.key();
            if (it.key() == u"$ref" && resolve(it.value().toString()).isUndefined())
                problems << at + QStringLiteral(": unresolved ") + it.value().toString();
            if (it.key() == u"schema") {
                checkSchema(it.value(), at, problems, 0);
            } else if (where == u"#/components" && it.key() == u"schemas") {
                const QJsonObject schemas = it.value().toObject();
                for (auto s = schemas.begin(); s != schemas.end(); ++s)
                    checkSchema(s.value(), at + u'/' + s.key(), problems, 0);
            } else {
                walk(it.value(), at);
            }
        }
    };
    walk(m_root, QStringLiteral("#"));
    return problems;
}

} // namespace sanayicin::test
