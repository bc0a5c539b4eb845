#pragma once

#include "daemon_config.h"

#include <QCommandLineParser>
#include <QList>
#include <QString>
#include <optional>

namespace sanayicin {

// What SIGHUP does with the settings, apart from the daemon's own objects
// (server/app/daemon.cpp applies the connection caps and the log level).

// One setting that differs between the running configuration and the one
// just read. `from` and `to` are as logged: secrets never appear.
struct ConfigChange
{
    QString setting; // the option's name, e.g. "send-rate/send-burst"
    QString from;
    QString to;
    bool live = false; // applied now; otherwise it needs a restart
};

// Every setting that differs, in the order of --help.
QList<ConfigChange> configChanges(const DaemonConfig &running, const DaemonConfig &next);

// Copies each live setting of `next` into `running` (published to readers on
// other threads); restart-only settings keep their running value.
void applyLiveSettings(DaemonConfig &running, const DaemonConfig &next);

// The configuration from the same sources and precedence as at start-up:
// command line, then environment, then the INI file (--config), then the
// defaults. nullopt and `error` when a value or the file is bad.
std::optional<DaemonConfig> loadDaemonConfig(const QList<OptionSpec> &specs,
                                             const QCommandLineParser &parser, QString &error);

} // namespace sanayicin
