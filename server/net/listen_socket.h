#pragma once

#include <QHostAddress>
#include <QString>

namespace sanayicin {

// A listening TCP socket with SO_REUSEADDR and SO_REUSEPORT and a large
// backlog (QTcpServer::listen uses 50, too few for connection storms). Each
// network thread gets its own socket on the same port; the kernel spreads new
// connections over them. Returns the descriptor, or -1 with `error`.
// `reusePort` false: a second process on the same port fails instead of
// sharing it (the operations listener).
int openListeningSocket(const QHostAddress &address, quint16 port, int backlog, QString &error,
                        bool reusePort = true);

// The port a socket is bound to (for port 0).
quint16 boundPort(int fd);

} // namespace sanayicin
