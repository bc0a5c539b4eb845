#include "wire_format.h"

#include "protocol/server_frames.h"
#include "text/utf8.h"

#include <QtEndian>
#include <cstring>

namespace sanayicin::wire {

namespace {

constexpr char kBatchTag = 'B';
constexpr char kEventTag = 'E';
constexpr char kVersion = 1;

class Writer
{
public:
    explicit Writer(QByteArray &out) : m_out(out) {}
    void u8(quint8 v) { m_out.append(char(v)); }
    void i32(qint32 v) { put(qToLittleEndian(v)); }
    void i64(qint64 v) { put(qToLittleEndian(v)); }
    void bytes(const QByteArray &b)
    {
        i32(qint32(b.size()));
        m_out.append(b);
    }
    void text(const QString &s) { bytes(s.toUtf8()); }

private:
    template<typename T>
    void put(T v)
    {
        m_out.append(reinterpret_cast<const char *>(&v), sizeof v);
    }
    QByteArray &m_out;
};

// Every read checks the remaining length: a payload is never trusted.
class Reader
{
public:
    explicit Reader(const QByteArray &in) : m_in(in) {}
    bool ok() const { return m_ok; }
    bool atEnd() const { return m_pos == m_in.size(); }
    qsizetype remaining() const { return m_in.size() - m_pos; }
    quint8 u8() { return m_ok && need(1) ? quint8(m_in[m_pos++]) : 0; }
    qint32 i32() { return get<qint32>(); }
    qint64 i64() { return get<qint64>(); }
    QByteArray bytes()
    {
        const qint32 n = i32();
        if (!m_ok || n < 0 || !need(n))
            return fail<QByteArray>();
        QByteArray b = m_in.mid(m_pos, n);
        m_pos += n;
        return b;
    }
    // Text is UTF-8 as the writer wrote it; anything else is refused rather
    // than repaired, so that what decodes re-encodes to the same bytes.
    QString text() { return QString::fromUtf8(utf8()); }
    QByteArray utf8()
    {
        QByteArray b = bytes();
        if (m_ok && !isValidUtf8(b))
            return fail<QByteArray>();
        return b;
    }
    bool flag()
    {
        const quint8 v = u8();
        if (v > 1)
            m_ok = false;
        return v == 1;
    }

private:
    template<typename T>
    T fail()
    {
        m_ok = false;
        return T{};
    }
    bool need(qsizetype n)
    {
        if (m_in.size() - m_pos < n)
            m_ok = false;
        return m_ok;
    }
    template<typename T>
    T get()
    {
        if (!m_ok || !need(sizeof(T)))
            return T{};
        T v;
        std::memcpy(&v, m_in.constData() + m_pos, sizeof v);
        m_pos += sizeof v;
        return qFromLittleEndian(v);
    }
    const QByteArray &m_in;
    qsizetype m_pos = 0;
    bool m_ok = true;
};

} // namespace

QByteArray encodeBatch(const QString &origin, const MessageBatch &batch)
{
    QByteArray out;
    qsizetype size = 64;
    for (const auto &d : batch)
        size += d->json.size() + 64;
    out.reserve(size);
    Writer w(out);
    w.u8(kBatchTag);
    w.u8(kVersion);
    w.text(origin);
    w.i32(qint32(batch.size()));
    for (const auto &d : batch) {
        w.i64(d->userA);
        w.i64(d->userB);
        w.i64(d->message.id);
        w.i64(d->message.conversationId);
        w.i64(d->message.seq);
        w.i64(d->message.senderId);
        w.i64(d->message.createdAtMs);
        w.bytes(d->json);
    }
    return out;
}

std::optional<Batch> decodeBatch(const QByteArray &payload)
{
    Reader r(payload);
    if (r.u8() != quint8(kBatchTag) || r.u8() != quint8(kVersion))
        return std::nullopt;
    Batch b;
    b.origin = r.text();
    const qint32 n = r.i32();
    // Each message takes at least kMinMessageBytes: a count the payload
    // cannot hold is refused before anything is reserved for it.
    constexpr qsizetype kMinMessageBytes = 7 * 8 + 4;
    if (!r.ok() || n < 0 || n > 1000000 || n > r.remaining() / kMinMessageBytes)
        return std::nullopt;
    b.messages.reserve(size_t(n));
    for (qint32 i = 0; i < n && r.ok(); ++i) {
        auto d = std::make_shared<DeliveredMessage>();
        d->userA = r.i64();
        d->userB = r.i64();
        d->message.id = r.i64();
        d->message.conversationId = r.i64();
        d->message.seq = r.i64();
        d->message.senderId = r.i64();
        d->message.createdAtMs = r.i64();
        d->json = r.utf8(); // becomes a WebSocket text frame as it is
        d->frame = frames::message(d->json);
        b.messages.push_back(std::move(d));
    }
    if (!r.ok() || !r.atEnd())
        return std::nullopt;
    return b;
}

QByteArray encodeEvent(const Event &e)
{
    QByteArray out;
    Writer w(out);
    w.u8(kEventTag);
    w.u8(kVersion);
    w.text(e.origin);
    w.u8(quint8(e.kind));
    w.i32(qint32(e.users.size()));
    for (qint64 u : e.users)
        w.i64(u);
    w.bytes(e.frame);
    w.i64(e.userId);
    w.i32(e.code);
    w.text(e.reason);
    w.bytes(e.tokenHash);
    w.u8(e.online ? 1 : 0);
    w.i64(e.version);
    return out;
}

std::optional<Event> decodeEvent(const QByteArray &payload)
{
    Reader r(payload);
    if (r.u8() != quint8(kEventTag) || r.u8() != quint8(kVersion))
        return std::nullopt;
    Event e;
    e.origin = r.text();
    const quint8 kind = r.u8();
    if (kind < 1 || kind > 7)
        return std::nullopt;
    e.kind = EventKind(kind);
    const qint32 n = r.i32();
    if (!r.ok() || n < 0 || n > 10000000 || n > r.remaining() / 8)
        return std::nullopt;
    e.users.reserve(n);
    for (qint32 i = 0; i < n && r.ok(); ++i)
        e.users.push_back(r.i64());
    e.frame = r.utf8(); // a WebSocket text frame as it is
    e.userId = r.i64();
    e.code = r.i32();
    e.reason = r.text();
    e.tokenHash = r.bytes();
    e.online = r.flag();
    e.version = r.i64();
    if (!r.ok() || !r.atEnd())
        return std::nullopt;
    return e;
}

} // namespace sanayicin::wire
