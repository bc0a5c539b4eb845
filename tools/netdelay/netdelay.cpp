// sanayicin-netdelay: holds every packet of an NFQUEUE queue for a fixed
// time, then accepts it (bench/faults/net-delay-*.sh). It stands in for
// `tc qdisc ... netem delay`, which this machine's kernel lacks
// (CONFIG_NET_SCH_NETEM unset): an iptables rule sends the packets to the
// queue, this program gives each its ACCEPT verdict --delay-ms after it
// arrived. Packets leave in arrival order (one delay for all), like netem
// without jitter. Only the packet id is read (copy mode meta, no payload).
//
// Usage: sanayicin-netdelay --queue N --delay-ms D [--max-pending P]
// Prints "ready" on stdout once bound. On SIGTERM or SIGINT it keeps
// delaying what arrives until nothing is held, then exits, so that no packet
// is dropped by its going away (remove the iptables rule first).
// glibc's netinet/in.h before the kernel headers, or they clash.
#include <arpa/inet.h>
#include <libnetfilter_queue/libnetfilter_queue.h>
#include <linux/netfilter.h>
#include <linux/netlink.h>

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <poll.h>
#include <string>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

namespace {

struct Held
{
    uint32_t id;
    int64_t dueNs;
};

struct State
{
    nfq_q_handle *queue = nullptr;
    std::deque<Held> held;
    int64_t delayNs = 0;
    size_t maxHeld = 0;
    uint64_t delayed = 0;
    uint64_t verdictErrors = 0;
};

int64_t nowNs()
{
    timespec ts{};
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return int64_t(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
}

int onPacket(nfq_q_handle *, nfgenmsg *, nfq_data *data, void *arg)
{
    auto *s = static_cast<State *>(arg);
    const nfqnl_msg_packet_hdr *hdr = nfq_get_msg_packet_hdr(data);
    if (!hdr)
        return 0;
    s->held.push_back({ntohl(hdr->packet_id), nowNs() + s->delayNs});
    s->maxHeld = std::max(s->maxHeld, s->held.size());
    return 0;
}

// Accepts every held packet whose time has come.
void release(State &s)
{
    const int64_t now = nowNs();
    while (!s.held.empty() && s.held.front().dueNs <= now) {
        if (nfq_set_verdict(s.queue, s.held.front().id, NF_ACCEPT, 0, nullptr) < 0)
            ++s.verdictErrors;
        s.held.pop_front();
        ++s.delayed;
    }
}

long number(const char *text, const char *name, long lo, long hi)
{
    char *end = nullptr;
    errno = 0;
    const long v = std::strtol(text, &end, 10);
    if (errno || end == text || *end || v < lo || v > hi) {
        std::fprintf(stderr, "netdelay: %s must be a number in %ld..%ld\n", name, lo, hi);
        std::exit(2);
    }
    return v;
}

} // namespace

int main(int argc, char **argv)
{
    long queueNum = -1, delayMs = -1, maxPending = 20000;
    for (int i = 1; i + 1 < argc; i += 2) {
        const std::string opt = argv[i];
        if (opt == "--queue")
            queueNum = number(argv[i + 1], "--queue", 0, 65535);
        else if (opt == "--delay-ms")
            delayMs = number(argv[i + 1], "--delay-ms", 0, 600000);
        else if (opt == "--max-pending")
            maxPending = number(argv[i + 1], "--max-pending", 1, 1000000);
        else
            queueNum = -2;
    }
    if (argc % 2 != 1 || queueNum < 0 || delayMs < 0) {
        std::fprintf(stderr, "usage: %s --queue N --delay-ms D [--max-pending P]\n", argv[0]);
        return 2;
    }

    State s;
    s.delayNs = int64_t(delayMs) * 1'000'000;
    nfq_handle *h = nfq_open();
    if (!h) {
        std::perror("netdelay: nfq_open");
        return 1;
    }
    s.queue = nfq_create_queue(h, uint16_t(queueNum), onPacket, &s);
    if (!s.queue) {
        std::perror("netdelay: nfq_create_queue");
        return 1;
    }
    // Beyond maxPending the kernel drops (as netem does past its limit).
    if (nfq_set_mode(s.queue, NFQNL_COPY_META, 0) < 0 || nfq_set_queue_maxlen(s.queue, uint32_t(maxPending)) < 0) {
        std::perror("netdelay: queue settings");
        return 1;
    }
    const int fd = nfq_fd(h);
    // A full socket buffer must not end the program: the kernel drops what
    // did not fit, and the held ones still get their verdicts.
    int one = 1;
    setsockopt(fd, SOL_NETLINK, NETLINK_NO_ENOBUFS, &one, sizeof one);

    sigset_t stopSignals;
    sigemptyset(&stopSignals);
    sigaddset(&stopSignals, SIGTERM);
    sigaddset(&stopSignals, SIGINT);
    sigprocmask(SIG_BLOCK, &stopSignals, nullptr);
    const int sfd = signalfd(-1, &stopSignals, SFD_CLOEXEC);
    if (sfd < 0) {
        std::perror("netdelay: signalfd");
        return 1;
    }
    std::printf("ready\n");
    std::fflush(stdout);

    bool stopping = false;
    alignas(nlmsghdr) char buf[65536];
    while (!stopping || !s.held.empty()) {
        int timeoutMs = -1;
        if (!s.held.empty())
            timeoutMs = int(std::max<int64_t>(0, (s.held.front().dueNs - nowNs() + 999'999) / 1'000'000));
        pollfd p[2] = {{fd, POLLIN, 0}, {sfd, POLLIN, 0}};
        if (poll(p, 2, timeoutMs) < 0 && errno != EINTR) {
            std::perror("netdelay: poll");
            return 1;
        }
        if (p[1].revents & POLLIN) {
            signalfd_siginfo info{};
            if (read(sfd, &info, sizeof info) > 0)
                stopping = true;
        }
        if (p[0].revents & POLLIN) {
            const ssize_t n = recv(fd, buf, sizeof buf, MSG_DONTWAIT);
            if (n > 0)
                nfq_handle_packet(h, buf, int(n));
        }
        release(s);
    }
    std::fprintf(stderr, "netdelay: %llu packets delayed %ld ms, at most %zu held at once, %llu verdict errors\n",
                 static_cast<unsigned long long>(s.delayed), delayMs, s.maxHeld,
                 static_cast<unsigned long long>(s.verdictErrors));
    nfq_destroy_queue(s.queue);
    nfq_close(h);
    return s.verdictErrors ? 1 : 0;
}
