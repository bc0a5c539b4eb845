// sanayicin-loadgen: see `sanayicin-loadgen --help` and tools/loadgen/README.md.

#include "options.h"
#include "runner.h"

#include <csignal>
#include <cstdio>

int main(int argc, char **argv)
{
    using namespace sanayicin::loadgen;
    // A server that closes mid-write must not kill the generator (send()
    // passes MSG_NOSIGNAL, but be sure).
    std::signal(SIGPIPE, SIG_IGN);
    Options options;
    std::string error;
    if (!parseOptions(argc, argv, options, error)) {
        if (error == "help") {
            std::fputs(usage().c_str(), stdout);
            return 0;
        }
        std::fprintf(stderr, "sanayicin-loadgen: %s\n", error.c_str());
        return 1;
    }
    return runLoadgen(options);
}
