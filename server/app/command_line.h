#pragma once

#include "job_commands.h"

#include <QCoreApplication>

namespace sanayicin {

// sanayicind's command line: the daemon (no command) or one of its
// commands (migrate, user create, worker, scheduler). `extraJobHandlers`
// join the worker's own (tests only; sanayicind passes none).
int runCommandLine(QCoreApplication &app, const ExtraJobHandlers &extraJobHandlers);

} // namespace sanayicin
