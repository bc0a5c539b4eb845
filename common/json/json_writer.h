#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QString>
#include <QStringView>
#include <string_view>

namespace sanayicin {

// Appends compact JSON to a byte array without building a QJsonDocument first:
// outgoing frames are serialised once, on the hot path, and shared by every
// recipient, so this avoids the intermediate tree and the UTF-16 round trip.
class JsonWriter
{
public:
    explicit JsonWriter(QByteArray &out) : m_out(out) {}

    JsonWriter &beginObject();
    JsonWriter &endObject();
    JsonWriter &beginArray();
    JsonWriter &endArray();

    // Keys are ASCII literals chosen by the program, so they are not escaped.
    JsonWriter &key(std::string_view name);

    JsonWriter &value(qint64 v);
    JsonWriter &value(int v) { return value(qint64(v)); }
    JsonWriter &value(bool v);
    JsonWriter &value(QStringView v);
    JsonWriter &value(const QString &v) { return value(QStringView(v)); }
    JsonWriter &value(const char *) = delete; // say utf8() or latin1 explicitly
    JsonWriter &utf8(QByteArrayView v);       // already UTF-8 text, still escaped
    JsonWriter &null();
    JsonWriter &raw(QByteArrayView json);     // a complete, valid JSON value

    template<typename T>
    JsonWriter &field(std::string_view name, const T &v)
    {
        key(name);
        return value(v);
    }

private:
    void separate();

    QByteArray &m_out;
    bool m_needComma = false;
};

// Appends `s` as a quoted JSON string (UTF-8, escaped).
void appendJsonString(QByteArray &out, QStringView s);
void appendJsonStringUtf8(QByteArray &out, QByteArrayView utf8);

} // namespace sanayicin
