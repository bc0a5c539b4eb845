#pragma once

#include "http_call.h"

#include <optional>

namespace sanayicin {

// Reads a limit/offset/id query parameter; on a bad value responds 400 and
// returns nullopt. Values above `max` are clamped (spec, Conventions).
std::optional<qint64> queryNumber(const CallPtr &call, const char *name, qint64 fallback,
                                  qint64 max);

// `limit` (default `defaultLimit`, clamped to `maxLimit`) and `offset` of a
// listing; nullopt once a 400 went out.
std::optional<std::pair<qint64, qint64>> queryPage(const CallPtr &call, qint64 defaultLimit,
                                                   qint64 maxLimit);

} // namespace sanayicin
