// The cases, written from the definitions in crossbario/autobahn-testsuite
// (autobahntestsuite/case/case*.py): what each sends and expects, adapted to
// the daemon (see conformance_case.h), plus edge cases of our own (E.*).

#include "conformance_case.h"

#include "../support/ws_frame_builder.h"
#include "text/utf8.h"

#include <QCryptographicHash>

namespace sanayicin::conformance {

using test::WsFrameSpec;
using test::wsClosePayload;

namespace {

constexpr int kSettleMarkMs = 300; // Autobahn's "continueLater(1)", shortened
const QByteArray kPingPrefix = R"({"type":"ping","ts":")";
const QByteArray kPingSuffix = R"("})";

quint32 g_mask = 0x9e3779b9;

QByteArray frame(int op, const QByteArray &payload, bool fin = true, int rsv = 0, bool masked = true)
{
    WsFrameSpec s;
    s.opcode = op;
    s.fin = fin;
    s.rsv = rsv;
    s.masked = masked;
    g_mask = g_mask * 1664525u + 1013904223u; // a different mask per frame
    s.mask = g_mask;
    return test::wsFrame(s, payload);
}

// A frame announcing `length` whatever the payload, in the 64-bit form.
QByteArray frame64(int op, quint64 length, bool fin = true)
{
    WsFrameSpec s;
    s.opcode = op;
    s.fin = fin;
    s.lengthForm = 64;
    return test::wsFrameHeader(s, length);
}

Action send(const QByteArray &bytes, int chop = 0, int gapMs = 0)
{
    Action a;
    a.bytes = bytes;
    a.chop = chop;
    a.gapMs = gapMs;
    return a;
}

Action mark(const QString &name)
{
    Action a;
    a.kind = Action::Mark;
    a.name = name;
    return a;
}

Action wait(int ms)
{
    Action a;
    a.kind = Action::Wait;
    a.gapMs = ms;
    return a;
}

QString pong(const QByteArray &payload)
{
    return QStringLiteral("pong:") + QString::fromLatin1(payload.toHex());
}

QString jsonPong(const QByteArray &ts)
{
    return QStringLiteral("json-pong:%1:%2")
        .arg(ts.size())
        .arg(QString::fromLatin1(QCryptographicHash::hash(ts, QCryptographicHash::Sha1).toHex().left(16)));
}

const QString kBadRequest = QStringLiteral("error:bad_request");

bool printableAscii(const QByteArray &p)
{
    for (char c : p)
        if (c < 0x20 || c > 0x7e || c == '"' || c == '\\')
            return false;
    return true;
}

// A text message as fragments. Printable ASCII travels as the ts of a JSON
// ping, so the pong proves every byte arrived; anything else gets a
// bad_request error (still one answer per message).
struct Message
{
    QList<QByteArray> fragments;
    QString reply;
};

Message textMessage(QList<QByteArray> fragments)
{
    QByteArray all;
    for (const QByteArray &f : fragments)
        all += f;
    Message m;
    if (!all.isEmpty() && printableAscii(all)) {
        fragments.first().prepend(kPingPrefix);
        fragments.last().append(kPingSuffix);
        m.reply = jsonPong(all);
    } else {
        m.reply = kBadRequest;
    }
    m.fragments = fragments;
    return m;
}

// Exactly `n` bytes of text, a JSON ping where n allows it.
Message sizedText(qsizetype n, const QByteArray &pattern = "*")
{
    const qsizetype wrapper = kPingPrefix.size() + kPingSuffix.size();
    auto fill = [&](qsizetype len) {
        QByteArray out;
        out.reserve(len);
        while (out.size() < len)
            out += pattern;
        out.truncate(len);
        return out;
    };
    Message m;
    if (n <= wrapper) {
        m.fragments = {fill(n)};
        m.reply = kBadRequest;
        return m;
    }
    const QByteArray ts = fill(n - wrapper);
    m.fragments = {kPingPrefix + ts + kPingSuffix};
    m.reply = jsonPong(ts);
    return m;
}

// The frames of a message: its fragments as text then continuation frames.
QByteArray frames(const Message &m, int opcode = 1)
{
    QByteArray out;
    for (qsizetype i = 0; i < m.fragments.size(); ++i)
        out += frame(i == 0 ? opcode : 0, m.fragments[i], i == m.fragments.size() - 1);
    return out;
}

// Splits `bytes` into fragments of `size` bytes.
QList<QByteArray> split(const QByteArray &bytes, qsizetype size)
{
    QList<QByteArray> out;
    for (qsizetype i = 0; i < bytes.size(); i += size)
        out << bytes.mid(i, size);
    if (out.isEmpty())
        out << QByteArray();
    return out;
}

QByteArray closeFrame(int code = -1, const QByteArray &reason = {})
{
    return frame(8, code < 0 ? QByteArray() : wsClosePayload(code, reason));
}

Case failing(const QString &id, const QString &sends, QList<Action> actions, int code = 1002,
             QStringList ok = {})
{
    Case c;
    c.id = id;
    c.sends = sends;
    c.expected = QStringLiteral("close %1").arg(code);
    c.actions = std::move(actions);
    c.ok = std::move(ok);
    c.closeCodes = {code};
    c.serverCloses = true;
    c.requireClean = false;
    return c;
}

Case answered(const QString &id, const QString &sends, QList<Action> actions, QStringList ok)
{
    Case c;
    c.id = id;
    c.sends = sends;
    c.expected = ok.isEmpty() ? QStringLiteral("nothing; close 1000 echoed")
                              : QStringLiteral("%1 answer(s); close 1000 echoed").arg(ok.size());
    c.actions = std::move(actions);
    c.ok = std::move(ok);
    return c;
}

// --- 1 Framing ------------------------------------------------------------
void category1(QList<Case> &out)
{
    const int sizes[] = {0, 125, 126, 127, 128, 65535, 65536};
    for (int i = 0; i < 7; ++i) {
        const Message m = sizedText(sizes[i]);
        out << answered(QStringLiteral("1.1.%1").arg(i + 1), QStringLiteral("text message, %1 bytes").arg(sizes[i]),
                        {send(frames(m))}, {m.reply});
    }
    const Message m = sizedText(65536);
    out << answered(QStringLiteral("1.1.8"), QStringLiteral("text message, 65536 bytes, in TCP pieces of 997"),
                    {send(frames(m), 997, 1)}, {m.reply});
    for (int i = 0; i < 8; ++i) {
        const int n = i < 7 ? sizes[i] : 65536;
        Case c = failing(QStringLiteral("1.2.%1").arg(i + 1),
                         QStringLiteral("binary message, %1 bytes%2").arg(n).arg(i == 7 ? u", pieces of 997" : u""),
                         {send(frame(2, QByteArray(n, '\xfe')), i == 7 ? 997 : 0, 1)}, 1003);
        c.requireClean = true; // not a protocol error: the daemon closes normally
        out << c;
    }
}

// --- 2 Pings/Pongs ------------------------------------------------------------
void category2(QList<Case> &out)
{
    const QByteArray bin("\x00\xff\xfe\xfd\xfc\xfb\x00\xff", 8);
    out << answered(QStringLiteral("2.1"), QStringLiteral("ping, no payload"), {send(frame(9, {}))}, {pong({})});
    out << answered(QStringLiteral("2.2"), QStringLiteral("ping, small text payload"),
                    {send(frame(9, "Hello, world!"))}, {pong("Hello, world!")});
    out << answered(QStringLiteral("2.3"), QStringLiteral("ping, small binary payload"), {send(frame(9, bin))},
                    {pong(bin)});
    out << answered(QStringLiteral("2.4"), QStringLiteral("ping, 125 bytes"),
                    {send(frame(9, QByteArray(125, '\xfe')))}, {pong(QByteArray(125, '\xfe'))});
    out << failing(QStringLiteral("2.5"), QStringLiteral("ping, 126 bytes"),
                   {send(frame(9, QByteArray(126, '\xfe')))});
    out << answered(QStringLiteral("2.6"), QStringLiteral("ping, 125 bytes, in 1-byte TCP pieces"),
                    {send(frame(9, QByteArray(125, '\xfe')), 1, 1)}, {pong(QByteArray(125, '\xfe'))});
    out << answered(QStringLiteral("2.7"), QStringLiteral("unsolicited pong, no payload"), {send(frame(10, {}))}, {});
    out << answered(QStringLiteral("2.8"), QStringLiteral("unsolicited pong with payload"),
                    {send(frame(10, "unsolicited pong payload"))}, {});
    out << answered(QStringLiteral("2.9"), QStringLiteral("unsolicited pong, then ping"),
                    {send(frame(10, "unsolicited pong payload") + frame(9, "ping payload"))},
                    {pong("ping payload")});
    for (int chopped = 0; chopped < 2; ++chopped) {
        QByteArray bytes;
        QStringList replies;
        for (int i = 0; i < 10; ++i) {
            const QByteArray p = "payload-" + QByteArray::number(i);
            bytes += frame(9, p);
            replies << pong(p);
        }
        out << answered(chopped ? QStringLiteral("2.11") : QStringLiteral("2.10"),
                        chopped ? QStringLiteral("10 pings in 1-byte TCP pieces") : QStringLiteral("10 pings"),
                        {send(bytes, chopped ? 1 : 0, chopped ? 1 : 0)}, replies);
    }
}

// --- 3 Reserved bits ------------------------------------------------------------
void category3(QList<Case> &out)
{
    const Message hello = textMessage({"Hello, world!"});
    out << failing(QStringLiteral("3.1"), QStringLiteral("text, RSV = 1"), {send(frame(1, "Hello, world!", true, 1))});
    const QByteArray three = frames(hello) + frame(1, "Hello, world!", true, 0);
    auto threeFrames = [&](const QString &id, int rsv, int mode) {
        const QByteArray a = frames(hello), b = frame(1, "Hello, world!", true, rsv), p = frame(9, {});
        QList<Action> actions;
        if (mode == 0)
            actions = {send(a + b + p)};
        else if (mode == 1)
            actions = {send(a), wait(20), send(b), wait(20), send(p)};
        else
            actions = {send(a, 1, 1), send(b, 1, 1), send(p, 1, 1)};
        Case c = failing(id, QStringLiteral("text, then text with RSV = %1, then ping%2")
                                 .arg(rsv)
                                 .arg(mode == 1 ? u" (each alone)" : mode == 2 ? u" (1-byte TCP pieces)" : u""),
                         actions, 1002, {hello.reply});
        c.nonStrict = QStringList{};
        c.expected = QStringLiteral("answer to the first text, close 1002, no pong");
        out << c;
    };
    Q_UNUSED(three);
    threeFrames(QStringLiteral("3.2"), 2, 0);
    threeFrames(QStringLiteral("3.3"), 3, 1);
    threeFrames(QStringLiteral("3.4"), 4, 2);
    out << failing(QStringLiteral("3.5"), QStringLiteral("binary, RSV = 5"),
                   {send(frame(2, QByteArray("\x00\xff\xfe\xfd\xfc\xfb\x00\xff", 8), true, 5))});
    out << failing(QStringLiteral("3.6"), QStringLiteral("ping, RSV = 6"), {send(frame(9, "Hello, world!", true, 6))});
    out << failing(QStringLiteral("3.7"), QStringLiteral("close, RSV = 7"), {send(frame(8, {}, true, 7))});
}

// --- 4 Opcodes ------------------------------------------------------------
void category4(QList<Case> &out)
{
    const Message hello = textMessage({"Hello, world!"});
    for (int group = 1; group <= 2; ++group) {
        const int base = group == 1 ? 3 : 11;
        const QString id = QStringLiteral("4.%1.").arg(group);
        out << failing(id + u'1', QStringLiteral("reserved opcode %1").arg(base), {send(frame(base, {}))});
        out << failing(id + u'2', QStringLiteral("reserved opcode %1 with payload").arg(base + 1),
                       {send(frame(base + 1, "reserved opcode payload"))});
        for (int k = 3; k <= 5; ++k) {
            const int op = base + k - 1;
            const QByteArray a = frames(hello), b = frame(op, k == 3 ? QByteArray() : "Hello, world!"),
                             p = frame(9, {});
            Case c = failing(id + QString::number(k),
                             QStringLiteral("text, reserved opcode %1, ping%2").arg(op).arg(k == 5 ? u" (1-byte TCP pieces)" : u""),
                             {k == 5 ? send(a + b + p, 1, 1) : send(a + b + p)}, 1002, {hello.reply});
            c.nonStrict = QStringList{};
            c.expected = QStringLiteral("answer to the text, close 1002, no pong");
            out << c;
        }
    }
}

// --- 5 Fragmentation ------------------------------------------------------------
void category5(QList<Case> &out)
{
    out << failing(QStringLiteral("5.1"), QStringLiteral("ping in 2 fragments"),
                   {send(frame(9, "fragment1", false) + frame(0, "fragment2"))});
    out << failing(QStringLiteral("5.2"), QStringLiteral("pong in 2 fragments"),
                   {send(frame(10, "fragment1", false) + frame(0, "fragment2"))});
    const Message two = textMessage({"fragment1", "fragment2"});
    const QByteArray f1 = frame(1, two.fragments[0], false), f2 = frame(0, two.fragments[1]);
    out << answered(QStringLiteral("5.3"), QStringLiteral("text in 2 fragments"), {send(f1 + f2)}, {two.reply});
    out << answered(QStringLiteral("5.4"), QStringLiteral("text in 2 fragments, each alone"),
                    {send(f1), wait(20), send(f2)}, {two.reply});
    out << answered(QStringLiteral("5.5"), QStringLiteral("text in 2 fragments, 1-byte TCP pieces"),
                    {send(f1 + f2, 1, 1)}, {two.reply});
    const QByteArray ping = frame(9, "ping payload");
    out << answered(QStringLiteral("5.6"), QStringLiteral("text in 2 fragments, ping between"),
                    {send(f1 + ping + f2)}, {pong("ping payload"), two.reply});
    out << answered(QStringLiteral("5.7"), QStringLiteral("text in 2 fragments, ping between, each alone"),
                    {send(f1), wait(20), send(ping), wait(20), send(f2)}, {pong("ping payload"), two.reply});
    out << answered(QStringLiteral("5.8"), QStringLiteral("text in 2 fragments, ping between, 1-byte TCP pieces"),
                    {send(f1 + ping + f2, 1, 1)}, {pong("ping payload"), two.reply});
    const QByteArray hello = frame(1, "Hello, world!");
    for (int fin = 1; fin >= 0; --fin) {
        const QByteArray lone = frame(0, "non-continuation payload", fin);
        const int first = fin ? 9 : 12;
        const QString what = fin ? QStringLiteral("continuation (FIN) without a message, then text")
                                 : QStringLiteral("continuation (not FIN) without a message, then text");
        out << failing(QStringLiteral("5.%1").arg(first), what, {send(lone + hello)});
        out << failing(QStringLiteral("5.%1").arg(first + 1), what + QStringLiteral(", each alone"),
                       {send(lone), wait(20), send(hello)});
        out << failing(QStringLiteral("5.%1").arg(first + 2), what + QStringLiteral(", 1-byte TCP pieces"),
                       {send(lone + hello, 1, 1)});
    }
    {
        const Message m = textMessage({"fragment1", "fragment2"});
        Case c = failing(QStringLiteral("5.15"), QStringLiteral("text in 2 fragments, then a continuation and a text inside it"),
                         {send(frame(1, m.fragments[0], false) + frame(0, m.fragments[1]) + frame(0, "fragment3", false)
                               + frame(1, "fragment4"))},
                         1002, {m.reply});
        c.nonStrict = QStringList{};
        out << c;
    }
    QByteArray b16, b17;
    for (int i = 0; i < 2; ++i) {
        b16 += frame(0, "fragment1", false) + frame(1, "fragment2", false) + frame(0, "fragment3");
        b17 += frame(0, "fragment1") + frame(1, "fragment2", false) + frame(0, "fragment3");
    }
    out << failing(QStringLiteral("5.16"), QStringLiteral("continuation first (not FIN), twice"), {send(b16)});
    out << failing(QStringLiteral("5.17"), QStringLiteral("continuation first (FIN), twice"), {send(b17)});
    out << failing(QStringLiteral("5.18"), QStringLiteral("text (not FIN), then text"),
                   {send(frame(1, "fragment1", false) + frame(1, "fragment2"))});
    const Message five = textMessage({"fragment1", "fragment2", "fragment3", "fragment4", "fragment5"});
    for (int sync = 0; sync < 2; ++sync) {
        QList<QByteArray> parts = {frame(1, five.fragments[0], false), frame(0, five.fragments[1], false),
                                   frame(9, "pongme 1!"), frame(0, five.fragments[2], false),
                                   frame(0, five.fragments[3], false), frame(9, "pongme 2!"),
                                   frame(0, five.fragments[4])};
        QList<Action> actions;
        for (int i = 0; i < parts.size(); ++i) {
            actions << send(parts[i]);
            if (sync)
                actions << wait(10);
            if (i == 2)
                actions << wait(kSettleMarkMs);
        }
        out << answered(QStringLiteral("5.%1").arg(19 + sync),
                        QStringLiteral("text in 5 fragments, 2 pings between, a pause%1").arg(sync ? u", each alone" : u""),
                        actions, {pong("pongme 1!"), pong("pongme 2!"), five.reply});
    }
}

// --- 6 UTF-8 handling ------------------------------------------------------------

// Autobahn's table (from Markus Kuhn's UTF-8 decoder stress test), groups 6.5-6.23.
QList<QList<QByteArray>> utf8Groups()
{
    const QByteArray vss = "\xce\xba\xe1\xbd\xb9\xcf\x83\xce\xbc\xce\xb5";
    QList<QList<QByteArray>> g;
    g << QList<QByteArray>{"hello\x24world", "hello\xc2\xa2world", "hello\xe2\x82\xacworld",
                           "hello\xf0\xa4\xad\xa2world", vss};
    QList<QByteArray> prefixes;
    for (qsizetype i = 1; i <= vss.size(); ++i)
        prefixes << vss.left(i);
    g << prefixes;
    g << QList<QByteArray>{QByteArray(1, '\0'), "\xc2\x80", "\xe0\xa0\x80", "\xf0\x90\x80\x80"};
    g << QList<QByteArray>{"\xf8\x88\x80\x80\x80", "\xfc\x84\x80\x80\x80\x80"};
    g << QList<QByteArray>{"\x7f", "\xdf\xbf", "\xef\xbf\xbf", "\xf4\x8f\xbf\xbf"};
    g << QList<QByteArray>{"\xf7\xbf\xbf\xbf", "\xfb\xbf\xbf\xbf\xbf", "\xfd\xbf\xbf\xbf\xbf\xbf"};
    g << QList<QByteArray>{"\xed\x9f\xbf", "\xee\x80\x80", "\xef\xbf\xbd", "\xf4\x8f\xbf\xbf", "\xf4\x90\x80\x80"};
    QByteArray conts;
    for (int c = 0x80; c < 0xbf; ++c)
        conts += char(c);
    g << QList<QByteArray>{"\x80", "\xbf", "\x80\xbf", "\x80\xbf\x80", "\x80\xbf\x80\xbf", "\x80\xbf\x80\xbf\x80",
                           "\x80\xbf\x80\xbf\x80\xbf", conts};
    QList<QByteArray> lonely;
    for (auto [lo, hi] : {std::pair{0xc0, 0xdf}, {0xe0, 0xef}, {0xf0, 0xf7}, {0xf8, 0xfb}, {0xfc, 0xfd}}) {
        QByteArray s;
        for (int c = lo; c < hi; ++c)
            s += char(c), s += ' ';
        lonely << s;
    }
    g << lonely;
    const QList<QByteArray> missing{"\xc0", "\xe0\x80", "\xf0\x80\x80", "\xf8\x80\x80\x80", "\xfc\x80\x80\x80\x80",
                                    "\xdf", "\xef\xbf", "\xf7\xbf\xbf", "\xfb\xbf\xbf\xbf", "\xfd\xbf\xbf\xbf\xbf"};
    g << missing;
    QByteArray concatenated;
    for (const QByteArray &m : missing)
        concatenated += m;
    g << QList<QByteArray>{concatenated};
    g << QList<QByteArray>{"\xfe", "\xff", "\xfe\xfe\xff\xff"};
    g << QList<QByteArray>{"\xc0\xaf", "\xe0\x80\xaf", "\xf0\x80\x80\xaf", "\xf8\x80\x80\x80\xaf",
                           "\xfc\x80\x80\x80\x80\xaf"};
    g << QList<QByteArray>{"\xc1\xbf", "\xe0\x9f\xbf", "\xf0\x8f\xbf\xbf", "\xf8\x87\xbf\xbf\xbf",
                           "\xfc\x83\xbf\xbf\xbf\xbf"};
    g << QList<QByteArray>{"\xc0\x80", "\xe0\x80\x80", "\xf0\x80\x80\x80", "\xf8\x80\x80\x80\x80",
                           "\xfc\x80\x80\x80\x80\x80"};
    g << QList<QByteArray>{"\xed\xa0\x80", "\xed\xad\xbf", "\xed\xae\x80", "\xed\xaf\xbf", "\xed\xb0\x80",
                           "\xed\xbe\x80", "\xed\xbf\xbf"};
    g << QList<QByteArray>{"\xed\xa0\x80\xed\xb0\x80", "\xed\xa0\x80\xed\xbf\xbf", "\xed\xad\xbf\xed\xb0\x80",
                           "\xed\xad\xbf\xed\xbf\xbf", "\xed\xae\x80\xed\xb0\x80", "\xed\xae\x80\xed\xbf\xbf",
                           "\xed\xaf\xbf\xed\xb0\x80", "\xed\xaf\xbf\xed\xbf\xbf"};
    QList<QByteArray> nonChars{"\xef\xbf\xbe", "\xef\xbf\xbf"};
    for (char z1 : {'\xf0', '\xf1', '\xf2', '\xf3', '\xf4'})
        for (char z2 : {'\x8f', '\x9f', '\xaf', '\xbf'}) {
            if (z1 == '\xf4' && z2 != '\x8f')
                continue;
            for (char z3 : {'\xbe', '\xbf'}) {
                const QByteArray zz = QByteArray(1, z1) + z2 + '\xbf' + z3;
                if (zz != "\xf0\x8f\xbf\xbe" && zz != "\xf0\x8f\xbf\xbf")
                    nonChars << zz;
            }
        }
    g << nonChars;
    g << QList<QByteArray>{"\xef\xbf\xb9", "\xef\xbf\xba", "\xef\xbf\xbb", "\xef\xbf\xbc", "\xef\xbf\xbd",
                           "\xef\xbf\xbe", "\xef\xbf\xbf"};
    return g;
}

void category6(QList<Case> &out)
{
    out << answered(QStringLiteral("6.1.1"), QStringLiteral("empty text"), {send(frame(1, {}))}, {kBadRequest});
    out << answered(QStringLiteral("6.1.2"), QStringLiteral("empty text in 3 empty fragments"),
                    {send(frame(1, {}, false) + frame(0, {}, false) + frame(0, {}))}, {kBadRequest});
    const Message mid = textMessage({"", "middle frame payload", ""});
    out << answered(QStringLiteral("6.1.3"), QStringLiteral("text in 3 fragments, first and last empty"),
                    {send(frames(mid))}, {mid.reply});
    const QByteArray hello = "Hello-\xc2\xb5@\xc3\x9f\xc3\xb6\xc3\xa4\xc3\xbc\xc3\xa0\xc3\xa1-UTF-8!!";
    const QByteArray kosme = "\xce\xba\xe1\xbd\xb9\xcf\x83\xce\xbc\xce\xb5";
    out << answered(QStringLiteral("6.2.1"), QStringLiteral("valid UTF-8 text"), {send(frame(1, hello))}, {kBadRequest});
    out << answered(QStringLiteral("6.2.2"), QStringLiteral("valid UTF-8 text in 2 fragments at a character boundary"),
                    {send(frames(textMessage({hello.left(13), hello.mid(13)})))}, {kBadRequest});
    out << answered(QStringLiteral("6.2.3"), QStringLiteral("valid UTF-8 text in 1-byte fragments (characters split)"),
                    {send(frames(textMessage(split(hello, 1))))}, {kBadRequest});
    out << answered(QStringLiteral("6.2.4"), QStringLiteral("valid UTF-8 text (kosme) in 1-byte fragments"),
                    {send(frames(textMessage(split(kosme, 1))))}, {kBadRequest});
    const QByteArray bad = kosme + "\xed\xa0\x80" + "edited";
    out << failing(QStringLiteral("6.3.1"), QStringLiteral("invalid UTF-8 text"), {send(frame(1, bad))}, 1007);
    out << failing(QStringLiteral("6.3.2"), QStringLiteral("invalid UTF-8 text in 1-byte fragments"),
                   {send(frames(textMessage(split(bad, 1))))}, 1007);
    // 6.4: fail fast, at the fragment (or the byte) that breaks UTF-8.
    const QByteArray p1 = kosme, p2 = "\xf4\x90\x80\x80", p3 = "edited", all = p1 + p2 + p3;
    auto failFast = [&](const QString &id, const QString &what, const QList<QByteArray> &parts) {
        Case c = failing(id, what,
                         {send(parts[0]), wait(kSettleMarkMs), mark(QStringLiteral("A")), send(parts[1]),
                          wait(kSettleMarkMs), mark(QStringLiteral("B")), send(parts[2])},
                         1007, {QStringLiteral("mark:A")});
        c.nonStrict = QStringList{QStringLiteral("mark:A"), QStringLiteral("mark:B")};
        c.expected = QStringLiteral("close 1007 right after the second part (fail fast)");
        out << c;
    };
    failFast(QStringLiteral("6.4.1"), QStringLiteral("3 fragments, the 2nd invalid (pauses between)"),
             {frame(1, p1, false), frame(0, p2, false), frame(0, p3)});
    failFast(QStringLiteral("6.4.2"), QStringLiteral("3 fragments, invalid at the 2nd's only byte"),
             {frame(1, all.left(12), false), frame(0, all.mid(12, 1), false), frame(0, all.mid(13))});
    const QByteArray one = frame(1, all);
    const qsizetype h = one.size() - all.size();
    failFast(QStringLiteral("6.4.3"), QStringLiteral("1 frame sent in 3 parts, the 2nd invalid"),
             {one.left(h + p1.size()), one.mid(h + p1.size(), p2.size()), one.mid(h + p1.size() + p2.size())});
    failFast(QStringLiteral("6.4.4"), QStringLiteral("1 frame sent in 3 parts, invalid at the 2nd's only byte"),
             {one.left(h + 12), one.mid(h + 12, 1), one.mid(h + 13)});

    const QList<QList<QByteArray>> groups = utf8Groups();
    for (qsizetype g = 0; g < groups.size(); ++g) {
        for (qsizetype j = 0; j < groups[g].size(); ++j) {
            const QByteArray &p = groups[g][j];
            Utf8Validator v;
            const bool valid = v.feed(p) && v.atBoundary();
            const QString id = QStringLiteral("6.%1.%2").arg(g + 5).arg(j + 1);
            const QString what = QStringLiteral("%1 UTF-8 text 0x%2")
                                     .arg(valid ? u"valid" : u"invalid", QString::fromLatin1(p.toHex()));
            const Message m = textMessage({p});
            if (valid)
                out << answered(id, what, {send(frames(m))}, {m.reply});
            else
                out << failing(id, what, {send(frame(1, p))}, 1007);
        }
    }
}

// --- 7 Close handling ------------------------------------------------------------
void category7(QList<Case> &out)
{
    auto closing = [&](const QString &id, const QString &what, QList<Action> actions, QList<int> codes,
                       bool clean = true) {
        Case c;
        c.id = id;
        c.sends = what;
        c.actions = std::move(actions);
        c.closeCodes = std::move(codes);
        c.clientClosed = true;
        c.requireClean = clean;
        c.expected = QStringLiteral("close %1").arg(c.closeCodes.first());
        out << c;
    };
    const Message hello = textMessage({"Hello World!"});
    out << answered(QStringLiteral("7.1.1"), QStringLiteral("text, then a normal close"), {send(frames(hello))},
                    {hello.reply});
    closing(QStringLiteral("7.1.2"), QStringLiteral("close, then close again"),
            {send(closeFrame(1000) + closeFrame())}, {1000});
    closing(QStringLiteral("7.1.3"), QStringLiteral("close, then ping"), {send(closeFrame(1000) + frame(9, {}))}, {1000});
    closing(QStringLiteral("7.1.4"), QStringLiteral("close, then text"),
            {send(closeFrame(1000) + frames(hello))}, {1000});
    const Message two = textMessage({"fragment1", "fragment2"});
    closing(QStringLiteral("7.1.5"), QStringLiteral("first fragment, close, last fragment"),
            {send(frame(1, two.fragments[0], false) + closeFrame(1000) + frame(0, two.fragments[1]))}, {1000});
    {
        // 256 KiB in Autobahn; just under the frame limit here.
        const Message big = sizedText(60 * 1024, "BAsd7&jh23");
        closing(QStringLiteral("7.1.6"), QStringLiteral("60 KiB text, text, close, ping"),
                {send(frames(big) + frames(hello) + closeFrame(1000) + frame(9, {}))}, {1000});
        out.last().informational = true;
        out.last().ok = {big.reply, hello.reply};
        out.last().nonStrict = QStringList{};
        out.last().expected = QStringLiteral("informational: answers before the close, or not");
    }
    closing(QStringLiteral("7.3.1"), QStringLiteral("close, empty payload"), {send(closeFrame())}, {1005, 1000});
    out.last().expected = QStringLiteral("close echoed (empty)");
    closing(QStringLiteral("7.3.2"), QStringLiteral("close, 1-byte payload"), {send(frame(8, "a"))}, {1002}, false);
    closing(QStringLiteral("7.3.3"), QStringLiteral("close 1000"), {send(closeFrame(1000))}, {1000});
    closing(QStringLiteral("7.3.4"), QStringLiteral("close 1000 with a reason"),
            {send(closeFrame(1000, "Hello World!"))}, {1000});
    closing(QStringLiteral("7.3.5"), QStringLiteral("close 1000 with a 123-byte reason"),
            {send(closeFrame(1000, QByteArray(123, '*')))}, {1000});
    closing(QStringLiteral("7.3.6"), QStringLiteral("close 1000 with a 124-byte reason (frame over 125)"),
            {send(closeFrame(1000, QByteArray(124, '*')))}, {1002}, false);
    // Autobahn accepts 1002 or 1007; a close frame is not a message, so a
    // malformed one is a protocol error: 1002 only (docs/rfc6455.md).
    closing(QStringLiteral("7.5.1"), QStringLiteral("close 1000, reason not UTF-8"),
            {send(closeFrame(1000, "\xce\xba\xe1\xbd\xb9\xcf\x83\xce\xbc\xce\xb5\xed\xa0\x80\x65\x64\x69\x74\x65\x64"))},
            {1002}, false);
    const int valid[] = {1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 3000, 3999, 4000, 4999};
    for (int i = 0; i < 13; ++i)
        closing(QStringLiteral("7.7.%1").arg(i + 1), QStringLiteral("close %1 (valid)").arg(valid[i]),
                {send(closeFrame(valid[i]))}, {valid[i]});
    const int invalid[] = {0, 999, 1004, 1005, 1006, 1016, 1100, 2000, 2999};
    for (int i = 0; i < 9; ++i)
        closing(QStringLiteral("7.9.%1").arg(i + 1), QStringLiteral("close %1 (invalid)").arg(invalid[i]),
                {send(closeFrame(invalid[i]))}, {1002}, false);
    // Informational in Autobahn; RFC 6455 7.4.2 makes them invalid: 1002.
    closing(QStringLiteral("7.13.1"), QStringLiteral("close 5000"), {send(closeFrame(5000))}, {1002}, false);
    closing(QStringLiteral("7.13.2"), QStringLiteral("close 65535"), {send(closeFrame(65535))}, {1002}, false);
}

// --- 9 Limits and performance (on a daemon with --frame-limit 16 MiB) ---------------
void category9(QList<Case> &out)
{
    const qsizetype sizes[] = {64 << 10, 256 << 10, 1 << 20, 4 << 20, 8 << 20, 16 << 20};
    auto big = [&](Case c) {
        c.big = true;
        c.settleMs = 20000;
        out << c;
    };
    for (int i = 0; i < 6; ++i) {
        const Message m = sizedText(sizes[i], "BAsd7&jh23");
        big(answered(QStringLiteral("9.1.%1").arg(i + 1), QStringLiteral("text message, %1 KiB").arg(sizes[i] >> 10),
                     {send(frames(m))}, {m.reply}));
    }
    for (int i = 0; i < 6; ++i) {
        Case c = failing(QStringLiteral("9.2.%1").arg(i + 1), QStringLiteral("binary message, %1 KiB").arg(sizes[i] >> 10),
                         {send(frame(2, QByteArray(sizes[i], '\xfe')))}, 1003);
        c.requireClean = true;
        big(c);
    }
    const qsizetype frags[] = {64, 256, 1 << 10, 4 << 10, 16 << 10, 64 << 10, 256 << 10, 1 << 20, 4 << 20};
    const Message four = sizedText(4 << 20);
    for (int i = 0; i < 9; ++i)
        big(answered(QStringLiteral("9.3.%1").arg(i + 1),
                     QStringLiteral("text 4 MiB in fragments of %1 bytes").arg(frags[i]),
                     {send(frames(Message{split(four.fragments.first(), frags[i]), four.reply}))}, {four.reply}));
    for (int i = 0; i < 9; ++i) {
        Case c = failing(QStringLiteral("9.4.%1").arg(i + 1),
                         QStringLiteral("binary 4 MiB in fragments of %1 bytes").arg(frags[i]),
                         {send(frames(Message{split(QByteArray(4 << 20, '\xfe'), frags[i]), {}}, 2))}, 1003);
        c.requireClean = true;
        big(c);
    }
    const int chops[] = {64, 128, 256, 512, 1024, 2048};
    const Message mega = sizedText(1 << 20, "BAsd7&jh23");
    for (int i = 0; i < 6; ++i)
        big(answered(QStringLiteral("9.5.%1").arg(i + 1), QStringLiteral("text 1 MiB in TCP pieces of %1").arg(chops[i]),
                     {send(frames(mega), chops[i])}, {mega.reply}));
    for (int i = 0; i < 6; ++i) {
        Case c = failing(QStringLiteral("9.6.%1").arg(i + 1),
                         QStringLiteral("binary 1 MiB in TCP pieces of %1").arg(chops[i]),
                         {send(frame(2, QByteArray(1 << 20, '\xfe')), chops[i])}, 1003);
        c.requireClean = true;
        big(c);
    }
    // 9.7: round trips, one message at a time (Action::Send with name "rt").
    const int rtSizes[] = {0, 16, 64, 256, 1024, 4096};
    for (int i = 0; i < 6; ++i) {
        const Message m = sizedText(rtSizes[i]);
        Action rt = send(frames(m));
        rt.name = QStringLiteral("roundtrips:1000");
        QStringList replies;
        for (int k = 0; k < 1000; ++k)
            replies << m.reply;
        Case c = answered(QStringLiteral("9.7.%1").arg(i + 1),
                          QStringLiteral("1000 text messages of %1 bytes, one at a time").arg(rtSizes[i]), {rt}, replies);
        c.expected = QStringLiteral("1000 answers; close 1000 echoed");
        big(c);
    }
    // 9.8 (1000 binary round trips) becomes: the first binary message closes 1003.
    for (int i = 0; i < 6; ++i) {
        Case c = failing(QStringLiteral("9.8.%1").arg(i + 1),
                         QStringLiteral("binary message of %1 bytes (of 1000)").arg(rtSizes[i]),
                         {send(frame(2, QByteArray(rtSizes[i], '\xfe')))}, 1003);
        c.requireClean = true;
        big(c);
    }
}

// --- 10 Misc ------------------------------------------------------------
void category10(QList<Case> &out)
{
    const Message m = sizedText(65536);
    out << answered(QStringLiteral("10.1.1"), QStringLiteral("text 65536 bytes in fragments of 1300"),
                    {send(frames(Message{split(m.fragments.first(), 1300), m.reply}))}, {m.reply});
}

// --- E Edge cases of ours: lengths and the audit's attacks ------------------------
void edgeCases(QList<Case> &out)
{
    const Message first = textMessage({QByteArray(100, 'x')});
    const QByteArray start = frame(1, first.fragments.first(), false);
    const QByteArray ping = frame(9, "after");
    out << failing(QStringLiteral("E.1"), QStringLiteral("unmasked text"), {send(frame(1, "Hello", true, 0, false))});
    out << failing(QStringLiteral("E.2"), QStringLiteral("unmasked ping"), {send(frame(9, "Hello", true, 0, false))});
    out << failing(QStringLiteral("E.3"), QStringLiteral("text announcing 2^63 (top bit), then ping"),
                   {send(frame64(1, quint64(1) << 63) + ping)});
    out << failing(QStringLiteral("E.4"), QStringLiteral("text announcing 2^64-1, then ping"),
                   {send(frame64(1, ~quint64(0)) + ping)});
    out << failing(QStringLiteral("E.5"), QStringLiteral("audit (a): 100-byte fragment, continuation of 2^64-14, ping"),
                   {send(start + frame64(0, quint64(0) - 14) + ping)});
    out << failing(QStringLiteral("E.6"), QStringLiteral("audit (b): 100-byte fragment, continuation of 2^64-20, 256 KiB"),
                   {send(start + frame64(0, quint64(0) - 20) + QByteArray(256 << 10, 'A'))});
    {
        // Cut after the length: no mask, no payload follow.
        const QByteArray header = frame64(0, quint64(0) - 6).left(10);
        out << failing(QStringLiteral("E.7"), QStringLiteral("audit (c): 100-byte fragment, continuation of 2^64-6 cut after the length"),
                       {send(start + header)});
    }
    out << failing(QStringLiteral("E.8"), QStringLiteral("text header announcing 65537 (limit + 1), no payload"),
                   {send(frame64(1, 65537).left(14))}, 1009);
    out << failing(QStringLiteral("E.9"), QStringLiteral("text announcing 2^63-1"), {send(frame64(1, (quint64(1) << 63) - 1))},
                   1009);
    out << failing(QStringLiteral("E.10"), QStringLiteral("text of 40000 + 30000 bytes in 2 fragments (over the limit)"),
                   {send(frame(1, QByteArray(40000, 'a'), false) + frame(0, QByteArray(30000, 'a')))}, 1009);
    {
        // RFC 6455 5.2: the shortest length form MUST be used.
        const Message m = textMessage({"sixteen"});
        WsFrameSpec s;
        s.lengthForm = 16;
        out << failing(QStringLiteral("E.11"), QStringLiteral("text of 30 bytes, length in the 16-bit form"),
                       {send(test::wsFrame(s, m.fragments.first()))});
        s.lengthForm = 64;
        out << failing(QStringLiteral("E.12"), QStringLiteral("text of 30 bytes, length in the 64-bit form"),
                       {send(test::wsFrame(s, m.fragments.first()))});
    }
    auto closing = [&](const QString &id, int code, int expected) {
        Case c;
        c.id = id;
        c.sends = QStringLiteral("close %1").arg(code);
        c.expected = QStringLiteral("close %1").arg(expected);
        c.actions = {send(closeFrame(code))};
        c.closeCodes = {expected};
        c.clientClosed = true;
        c.requireClean = expected != 1002;
        out << c;
    };
    closing(QStringLiteral("E.13"), 1012, 1012); // IANA: Service Restart
    closing(QStringLiteral("E.14"), 1013, 1013); // Try Again Later
    closing(QStringLiteral("E.15"), 1014, 1014); // Bad Gateway
    closing(QStringLiteral("E.16"), 1015, 1002); // TLS handshake: never sent
    {
        Case c;
        c.id = QStringLiteral("E.17");
        c.sends = QStringLiteral("close 1000, reason cut inside a character");
        c.expected = QStringLiteral("close 1002");
        c.actions = {send(closeFrame(1000, "ab\xe2\x82"))};
        c.closeCodes = {1002};
        c.clientClosed = true;
        c.requireClean = false;
        out << c;
    }
    {
        // Autobahn 9.9.1 (an endless message of 4 KiB fragments), bounded.
        QByteArray endless = frame(1, QByteArray(4096, '*'), false);
        for (int i = 0; i < 24; ++i)
            endless += frame(0, QByteArray(4096, '*'), false);
        out << failing(QStringLiteral("E.18"), QStringLiteral("endless text in 4 KiB fragments (9.9.1)"),
                       {send(endless)}, 1009);
    }
    out << failing(QStringLiteral("E.19"), QStringLiteral("ping announcing 126 in the 16-bit form"),
                   {send(test::wsFrameHeader(WsFrameSpec{9, true, true, 0, 16}, 126) + QByteArray(126, 'p'))});
}

} // namespace

QList<Case> allCases()
{
    QList<Case> out;
    category1(out);
    category2(out);
    category3(out);
    category4(out);
    category5(out);
    category6(out);
    category7(out);
    category9(out);
    category10(out);
    edgeCases(out);
    return out;
}

} // namespace sanayicin::conformance
