#include "journal_fields.h"

namespace sanayicin {

bool isJournalFieldName(QByteArrayView name)
{
    if (name.isEmpty() || name.size() > 64 || name.front() == '_'
        || (name.front() >= '0' && name.front() <= '9'))
        return false;
    for (const char c : name)
        if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_'))
            return false;
    return true;
}

bool appendJournalField(QByteArray &out, QByteArrayView name, QByteArrayView value)
{
    if (!isJournalFieldName(name))
        return false;
    out.append(name);
    if (value.indexOf('\n') < 0) {
        out += '=';
        out.append(value);
        out += '\n';
        return true;
    }
    out += '\n';
    quint64 length = quint64(value.size());
    for (int i = 0; i < 8; ++i, length >>= 8)
        out += char(length & 0xff);
    out.append(value);
    out += '\n';
    return true;
}

void appendJournalEntry(QByteArray &out, const LogRecord &r, QByteArrayView identifier)
{
    const char *category = r.category ? r.category : "default";
    appendJournalField(out, "PRIORITY", QByteArray::number(syslogPriority(r.type)));
    QByteArray message = category;
    message += ": ";
    message += r.message.toUtf8();
    appendJournalField(out, "MESSAGE", message);
    if (!identifier.isEmpty())
        appendJournalField(out, "SYSLOG_IDENTIFIER", identifier);
    if (r.file && *r.file) {
        appendJournalField(out, "CODE_FILE", r.file);
        appendJournalField(out, "CODE_LINE", QByteArray::number(r.line));
    }
    if (r.function && *r.function)
        appendJournalField(out, "CODE_FUNC", r.function);
    appendJournalField(out, "SANAYICIN_CATEGORY", category);
    if (!r.instance.isEmpty())
        appendJournalField(out, "SANAYICIN_INSTANCE", r.instance);
}

} // namespace sanayicin
