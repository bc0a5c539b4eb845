#include "history_log.h"

#include <cerrno>
#include <charconv>
#include <cstring>

namespace sanayicin::loadgen {

bool HistoryLog::open(const std::string &path, std::string &error)
{
    m_file = std::fopen(path.c_str(), "we");
    if (!m_file) {
        error = "--history " + path + ": " + std::strerror(errno);
        return false;
    }
    // The writer thread does its own batching: the chunks are large already.
    std::setvbuf(m_file, nullptr, _IOFBF, 1 << 20);
    m_thread = std::thread([this] { run(); });
    return true;
}

void HistoryLog::submit(std::string &&chunk)
{
    if (chunk.empty())
        return;
    std::unique_lock<std::mutex> lock(m_mutex);
    if (m_queue.size() >= kMaxQueued) {
        ++m_stalls;
        m_space.wait(lock, [this] { return m_queue.size() < kMaxQueued || m_stop; });
    }
    m_queue.push_back(std::move(chunk));
    m_wake.notify_one();
}

void HistoryLog::run()
{
    std::unique_lock<std::mutex> lock(m_mutex);
    for (;;) {
        m_wake.wait(lock, [this] { return !m_queue.empty() || m_stop; });
        if (m_queue.empty() && m_stop)
            return;
        std::string chunk = std::move(m_queue.front());
        m_queue.pop_front();
        m_space.notify_all();
        lock.unlock();
        const size_t written = std::fwrite(chunk.data(), 1, chunk.size(), m_file);
        lock.lock();
        m_bytes += written;
        if (written != chunk.size())
            m_failed = true;
    }
}

bool HistoryLog::close()
{
    if (!m_file)
        return !m_failed;
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        m_stop = true;
    }
    m_wake.notify_one();
    m_space.notify_all();
    if (m_thread.joinable())
        m_thread.join();
    if (std::fclose(m_file) != 0)
        m_failed = true;
    m_file = nullptr;
    return !m_failed;
}

HistoryBuffer &HistoryBuffer::begin(int64_t wallNs, std::string_view event)
{
    m_text.append("{\"t\":");
    char buf[24];
    const auto r = std::to_chars(buf, buf + sizeof buf, wallNs);
    m_text.append(buf, r.ptr);
    m_text.append(",\"ev\":\"").append(event).push_back('"');
    return *this;
}

void HistoryBuffer::key(std::string_view k)
{
    m_text.append(",\"").append(k).append("\":");
}

HistoryBuffer &HistoryBuffer::num(std::string_view k, int64_t v)
{
    key(k);
    char buf[24];
    const auto r = std::to_chars(buf, buf + sizeof buf, v);
    m_text.append(buf, r.ptr);
    return *this;
}

HistoryBuffer &HistoryBuffer::flag(std::string_view k, bool v)
{
    key(k);
    m_text.append(v ? "true" : "false");
    return *this;
}

HistoryBuffer &HistoryBuffer::str(std::string_view k, std::string_view v)
{
    key(k);
    m_text.push_back('"');
    m_text.append(v).push_back('"');
    return *this;
}

void HistoryBuffer::end()
{
    m_text.append("}\n");
    if (m_text.size() >= HistoryLog::kChunkBytes)
        flush();
}

void HistoryBuffer::flush()
{
    if (!m_log || m_text.empty())
        return;
    std::string chunk;
    chunk.reserve(HistoryLog::kChunkBytes + 512);
    chunk.swap(m_text);
    m_log->submit(std::move(chunk));
}

} // namespace sanayicin::loadgen
