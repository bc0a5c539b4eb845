// sanayicin-echo-server: a trivial server of the chat protocol, to measure the
// load generator's own ceiling. See README.md beside this file.

#include "echo_server.h"
#include "net.h"

#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <string>

namespace {

void usage()
{
    std::puts("sanayicin-echo-server [--listen ADDR:PORT] [--threads N] [--heartbeat S]\n"
              "                      [--max-seconds S]\n"
              "  Accepts ws://ADDR:PORT/ws, token = user id; conversation c is between users\n"
              "  2c-1 and 2c. Answers auth/hello, send (ack + message to the other\n"
              "  participant's connections), ping, sync. Stores nothing. Stops on SIGINT,\n"
              "  SIGTERM, or after --max-seconds (default 3600: never left running).");
}

} // namespace

int main(int argc, char **argv)
{
    using namespace sanayicin;
    echo::Settings settings;
    settings.port = 9000;
    double maxSeconds = 3600;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        const bool hasValue = i + 1 < argc;
        if (a == "--listen" && hasValue) {
            const std::string v = argv[++i];
            const size_t colon = v.rfind(':');
            int port = colon == std::string::npos ? -1 : std::atoi(v.c_str() + colon + 1);
            if (port < 0 || port > 65535
                || !loadgen::parseIPv4(v.substr(0, colon), settings.address)) {
                std::fprintf(stderr, "--listen ADDR:PORT, got %s\n", v.c_str());
                return 1;
            }
            settings.port = uint16_t(port);
        } else if (a == "--threads" && hasValue) {
            settings.threads = std::max(1, std::atoi(argv[++i]));
        } else if (a == "--heartbeat" && hasValue) {
            settings.heartbeatS = std::max(1, std::atoi(argv[++i]));
        } else if (a == "--max-seconds" && hasValue) {
            maxSeconds = std::atof(argv[++i]);
        } else if (a == "--help" || a == "-h") {
            usage();
            return 0;
        } else {
            std::fprintf(stderr, "unknown option %s (see --help)\n", a.c_str());
            return 1;
        }
    }

    // Signals are taken by sigtimedwait below, on this thread only: block them
    // before the worker threads start so that they inherit the mask.
    sigset_t signals;
    sigemptyset(&signals);
    sigaddset(&signals, SIGINT);
    sigaddset(&signals, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &signals, nullptr);
    std::signal(SIGPIPE, SIG_IGN);

    echo::EchoServer server(settings);
    std::string error;
    uint16_t port = 0;
    if (!server.start(error, port)) {
        std::fprintf(stderr, "cannot listen: %s\n", error.c_str());
        return 1;
    }
    std::printf("echo-server listening on ws://%s:%u/ws\n",
                loadgen::formatIPv4(settings.address).c_str(), unsigned(port));
    std::fflush(stdout);

    timespec wait{};
    wait.tv_sec = time_t(maxSeconds);
    wait.tv_nsec = long((maxSeconds - double(wait.tv_sec)) * 1e9);
    const int sig = sigtimedwait(&signals, nullptr, &wait);
    std::fprintf(stderr, "echo-server: %s, stopping\n",
                 sig > 0 ? strsignal(sig) : "--max-seconds reached");
    server.stop();
    return 0;
}
