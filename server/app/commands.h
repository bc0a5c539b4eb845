#pragma once

#include "daemon_config.h"

namespace sanayicin {

// `sanayicind migrate`: applies the schema migrations and exits.
int runMigrate(const DaemonConfig &config);

// `sanayicind user create --username U --password-file F [--admin]`.
int runUserCreate(const DaemonConfig &config, const QString &username,
                  const QString &passwordFile, bool admin);

} // namespace sanayicin
