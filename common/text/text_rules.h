#pragma once

#include <QString>
#include <QStringView>

namespace sanayicin {

// The spec counts lengths in Unicode code points, without normalisation:
// a surrogate pair (an emoji) is one.
qsizetype codePointCount(QStringView s);

// True when `s` is empty or holds nothing but Unicode white space (NBSP too).
bool isBlank(QStringView s);

// True when `s` has `min`..`max` code points.
bool hasLengthBetween(QStringView s, qsizetype min, qsizetype max);

// 3-32 characters of [a-z0-9_.].
bool isValidUsername(QStringView s);

// Case-folds for search so that Turkish text matches whatever the keyboard:
// I, İ, ı and i all become "i" (Turkish dotted/dotless i), everything else is
// lower-cased by Unicode rules, and a combining dot above after an i is
// dropped (a decomposed İ).
QString foldForSearch(QStringView s);

} // namespace sanayicin
