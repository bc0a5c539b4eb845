// QueryString::parse on arbitrary bytes. Checked:
// - it accepts exactly when every name and value has valid escapes and
//   decodes to UTF-8 without U+0000 (an independent decoder here says which);
// - what it accepts survives a round trip: each name and value encoded the
//   way a browser does (space as '+', everything but unreserved as %XX)
//   parses back to the same items;
// - text without '%' or '+' decodes to itself.

#include "http/query_string.h"
#include "text/utf8.h"

#include <cstdint>

using namespace sanayicin;

namespace {

[[noreturn]] void fail(const char *what)
{
    fprintf(stderr, "property violated: %s\n", what);
    __builtin_trap();
}

int hex(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    c = char(c | 0x20);
    return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

// Independent: decodes into bytes; false on a broken escape.
bool referenceDecode(QByteArrayView in, QByteArray &out)
{
    out.clear();
    for (qsizetype i = 0; i < in.size(); ++i) {
        if (in[i] == '+') {
            out += ' ';
        } else if (in[i] == '%') {
            if (i + 2 >= in.size() || hex(in[i + 1]) < 0 || hex(in[i + 2]) < 0)
                return false;
            out += char(hex(in[i + 1]) * 16 + hex(in[i + 2]));
            i += 2;
        } else {
            out += in[i];
        }
    }
    return true;
}

QByteArray browserEncode(const QString &s)
{
    QByteArray out;
    for (char c : s.toUtf8()) {
        const bool unreserved = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
                                || (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_'
                                || c == '~';
        if (unreserved)
            out += c;
        else if (c == ' ')
            out += '+';
        else
            out += '%' + QByteArray::number(quint8(c), 16).rightJustified(2, '0').toUpper();
    }
    return out;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArrayView input(reinterpret_cast<const char *>(data), qsizetype(size));
    const auto parsed = QueryString::parse(input);

    bool expectValid = true;
    for (QByteArrayView pair : input.toByteArray().split('&')) {
        if (pair.isEmpty())
            continue;
        const qsizetype eq = pair.indexOf('=');
        for (QByteArrayView part : {eq < 0 ? pair : pair.first(eq),
                                    eq < 0 ? QByteArrayView() : pair.sliced(eq + 1)}) {
            QByteArray bytes;
            if (!referenceDecode(part, bytes) || bytes.contains('\0') || !isValidUtf8(bytes))
                expectValid = false;
        }
    }
    if (parsed.has_value() != expectValid)
        fail("accepts differently from the reference");
    if (!parsed)
        return 0;

    QByteArray again;
    for (const auto &[name, value] : parsed->items()) {
        if (name.contains(QChar(0)) || value.contains(QChar(0)))
            fail("U+0000 accepted");
        if (!again.isEmpty())
            again += '&';
        again += browserEncode(name) + '=' + browserEncode(value);
    }
    const auto round = QueryString::parse(again);
    if (!round || round->items().size() != parsed->items().size())
        fail("round trip lost items");
    for (qsizetype i = 0; i < parsed->items().size(); ++i) {
        // An empty name encodes to an empty pair, which is skipped.
        if (parsed->items()[i] != round->items()[i] && !parsed->items()[i].first.isEmpty())
            fail("round trip changed an item");
    }
    if (!input.contains('%') && !input.contains('+') && !input.contains('&')
        && !input.contains('=') && !input.isEmpty()) {
        if (parsed->items().size() != 1 || parsed->items()[0].first.toUtf8() != input)
            fail("plain text does not decode to itself");
    }
    return 0;
}
