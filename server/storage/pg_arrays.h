#pragma once

#include <QByteArray>
#include <QList>
#include <QString>
#include <vector>

namespace sanayicin {

// PostgreSQL array literals ("{1,2,3}", {"a","b\"c"}) for columns bound to
// unnest() as one parameter each (the group commit's insert).

QByteArray pgIntArray(const std::vector<qint64> &values);

// Every value is quoted, with `"` and `\` escaped, so that PostgreSQL's
// array_in reads back exactly the value's UTF-8: commas, braces, white
// space, "NULL" and control characters included. Each value is encoded on
// its own: what one value holds never changes another. Text that no UTF-8
// store can hold (a lone surrogate) becomes U+FFFD inside its own value, and
// so does U+0000, which would end the parameter early as a C string and fail
// the whole batch; validation refuses both before a message gets here.
QByteArray pgTextArray(const QList<QString> &values);

} // namespace sanayicin
