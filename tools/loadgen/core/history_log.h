#pragma once

#include <condition_variable>
#include <cstdint>
#include <cstdio>
#include <deque>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>

namespace sanayicin::loadgen {

// --history FILE: every operation of the run as one JSON line, for
// tools/history-check. Workers build lines in a buffer of their own
// (HistoryBuffer, no lock, no system call) and hand over full chunks; one
// writer thread writes them. Memory is bounded: past kMaxQueued chunks a
// worker waits for the writer (counted as a stall) rather than dropping
// lines, since a history with holes would prove nothing.
class HistoryLog
{
public:
    static constexpr size_t kChunkBytes = 64 * 1024;
    static constexpr size_t kMaxQueued = 64; // 4 MiB in flight at most

    HistoryLog() = default;
    ~HistoryLog() { close(); }
    HistoryLog(const HistoryLog &) = delete;
    HistoryLog &operator=(const HistoryLog &) = delete;

    // Opens (truncates) the file and starts the writer; false with `error`.
    bool open(const std::string &path, std::string &error);
    bool isOpen() const { return m_file != nullptr; }
    // Queues a chunk of whole lines (waits while the queue is full).
    void submit(std::string &&chunk);
    // Writes everything queued, closes the file; false if a write failed.
    bool close();

    uint64_t stalls() const { return m_stalls; }
    uint64_t bytes() const { return m_bytes; }
    bool failed() const { return m_failed; }

private:
    void run();

    std::FILE *m_file = nullptr;
    std::thread m_thread;
    std::mutex m_mutex;
    std::condition_variable m_wake;  // writer: work or stop
    std::condition_variable m_space; // workers: room in the queue
    std::deque<std::string> m_queue;
    bool m_stop = false;
    bool m_failed = false;
    uint64_t m_stalls = 0;
    uint64_t m_bytes = 0;
};

// One thread's lines: begin(), fields, end(). Not thread-safe; one per worker.
class HistoryBuffer
{
public:
    explicit HistoryBuffer(HistoryLog *log = nullptr) : m_log(log) {}
    ~HistoryBuffer() { flush(); }
    HistoryBuffer(const HistoryBuffer &) = delete;
    HistoryBuffer &operator=(const HistoryBuffer &) = delete;

    bool enabled() const { return m_log != nullptr; }
    // {"t":<wall ns>,"ev":"<event>"
    HistoryBuffer &begin(int64_t wallNs, std::string_view event);
    HistoryBuffer &num(std::string_view key, int64_t v);
    HistoryBuffer &flag(std::string_view key, bool v);
    // `v` must be JSON string content already (no quote, backslash or
    // control character unescaped): client_msg_ids as the server sent them,
    // error codes, our own names.
    HistoryBuffer &str(std::string_view key, std::string_view v);
    // "}\n"; hands the buffer over once it holds a chunk.
    void end();
    // Hands over whatever is buffered.
    void flush();

private:
    void key(std::string_view k);

    HistoryLog *m_log;
    std::string m_text;
};

} // namespace sanayicin::loadgen
