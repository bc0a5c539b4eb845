// pgTextArray and pgIntArray against a reference reader of PostgreSQL's
// array literal syntax (pg_array_reference.h, itself checked against a real
// server in tst_pg_array_literals): for any list of strings, including lone
// surrogates, U+0000, quotes, backslashes, braces, commas, NULL spellings and
// white space, the literal reads back as exactly the values' UTF-8 (U+FFFD
// for what UTF-8 cannot hold, each in its own element); for any integers,
// exactly the integers.

#include "storage/pg_arrays.h"
#include "pg_array_reference.h"

#include <fuzzer/FuzzedDataProvider.h>

#include <cstdint>

namespace {

// Code units skewed toward what means something in a literal.
char16_t unit(FuzzedDataProvider &in)
{
    static const char16_t interesting[] = {u'"', u'\\', u'{', u'}', u',', u' ', u'\t', u'\n',
                                           u'\r', u'\v', u'\f', 0, u'N', u'U', u'L', u'n',
                                           0xD800, 0xDBFF, 0xDC00, 0xDFFF, 0xFEFF, 0x00A0};
    if (in.ConsumeBool())
        return interesting[in.ConsumeIntegralInRange<size_t>(0, std::size(interesting) - 1)];
    return in.ConsumeIntegral<char16_t>();
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    using namespace sanayicin;
    FuzzedDataProvider in(data, size);
    if (in.ConsumeBool()) {
        std::vector<qint64> ints;
        while (in.remaining_bytes() >= sizeof(qint64))
            ints.push_back(in.ConsumeIntegral<qint64>());
        const auto parsed = reference::parsePgArray(pgIntArray(ints));
        if (!parsed || parsed->size() != qsizetype(ints.size()))
            __builtin_trap();
        for (size_t i = 0; i < ints.size(); ++i) {
            bool ok = false;
            if (!parsed->at(qsizetype(i)) || parsed->at(qsizetype(i))->toLongLong(&ok) != ints[i] || !ok)
                __builtin_trap();
        }
        return 0;
    }
    QList<QString> values;
    while (in.remaining_bytes() > 0) {
        QString v;
        const size_t length = in.ConsumeIntegralInRange<size_t>(0, 64);
        for (size_t i = 0; i < length && in.remaining_bytes() > 0; ++i)
            v.append(QChar(unit(in)));
        values.append(v);
    }
    const QByteArray literal = pgTextArray(values);
    if (literal.contains('\0')) // would end the libpq parameter early
        __builtin_trap();
    const auto parsed = reference::parsePgArray(literal);
    if (!parsed || parsed->size() != values.size())
        __builtin_trap();
    for (qsizetype i = 0; i < values.size(); ++i)
        if (!parsed->at(i) || *parsed->at(i) != reference::pgStoredUtf8(values[i]))
            __builtin_trap();
    return 0;
}
