#pragma once

#include "history_event.h"

#include <QByteArray>
#include <QString>

#include <functional>

namespace sanayicin::historycheck {

// Reads one line into `out`. False with `error` (what is wrong, without the
// place) when the line is not a JSON object of a known event with every
// field it needs, of the right type. A file we wrote ourselves, but a run
// that was killed leaves a cut last line, and a wrong file must not pass.
bool parseEventLine(const QByteArray &line, Event &out, QString &error);

// Reads every line of `path`, calling `sink` for each event in file order.
// False with `error` ("path:line: what") at the first bad line.
bool readHistoryFile(const QString &path, const std::function<void(const Event &)> &sink,
                     QString &error, qint64 *lines = nullptr);

} // namespace sanayicin::historycheck
