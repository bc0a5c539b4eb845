// parseClientJson / checkJsonSyntax, the strict JSON reader of every frame and
// body: it agrees with an independent reading of RFC 8259 (json_reference.h)
// on every input; what it accepts re-serialises and reads back to the same
// document; it never lets a lone surrogate or U+FEFF loss through.

#include "protocol/json_input.h"
#include "protocol/json_syntax.h"
#include "fuzz_checks.h"
#include "json_reference.h"

#include <QJsonArray>
#include <QJsonObject>
#include <cstdint>

namespace {

using sanayicin::fuzz::wellFormed;

// No string anywhere (key or value) holds a lone surrogate.
bool wellFormed(const QJsonValue &v)
{
    if (v.isString())
        return wellFormed(v.toString());
    if (v.isArray()) {
        for (const QJsonValue &item : v.toArray())
            if (!wellFormed(item))
                return false;
    }
    if (v.isObject()) {
        const QJsonObject o = v.toObject();
        for (auto it = o.begin(); it != o.end(); ++it)
            if (!wellFormed(it.key()) || !wellFormed(*it))
                return false;
    }
    return true;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    using namespace sanayicin;
    const QByteArray text(reinterpret_cast<const char *>(data), qsizetype(size));

    const JsonSyntax syntax = checkJsonSyntax(text, kClientJsonMaxDepth);
    if (syntax.ok != reference::JsonGrammar::accepts(text, kClientJsonMaxDepth))
        __builtin_trap(); // the two readings of RFC 8259 disagree
    if (!syntax.ok && syntax.problem.isEmpty())
        __builtin_trap();

    QString error;
    const std::optional<QJsonDocument> doc = parseClientJson(text, error);
    if (!doc) {
        if (error.isEmpty())
            __builtin_trap();
        // Valid JSON is refused only for a repeated key or a number beyond
        // a double (Qt's own check).
        if (syntax.ok && error != u"duplicate key in an object" && !error.contains(u"number"))
            __builtin_trap();
        return 0;
    }
    if (!syntax.ok)
        __builtin_trap();
    if (doc->isNull())
        return 0; // a scalar
    const QJsonValue root = doc->isObject() ? QJsonValue(doc->object()) : QJsonValue(doc->array());
    if (!wellFormed(root))
        __builtin_trap();
    // Qt's own writing of it reads back, strictly, as the same document.
    QString again;
    const auto reread = parseClientJson(doc->toJson(QJsonDocument::Compact), again);
    if (!reread || *reread != *doc)
        __builtin_trap();
    return 0;
}
