#pragma once

#include <QObject>
#include <QPointer>

namespace sanayicin::chat {

// Who asked, as the use cases see it: an object of the calling thread
// (a WebSocket connection, an HTTP server). Replies go to the calling
// thread's mailbox and run only if it still exists there, and, when it says
// so, still listens (a closing connection wants no further steps).
struct Caller
{
    QObject *object = nullptr;
    // A long-lived object of the same thread (its WebSocket gateway or HTTP
    // server), for the lower layers that still answer through a QObject
    // (rate gate, caches).
    QObject *home = nullptr;
    bool (*listening)(const QObject *) = nullptr; // optional; no allocation
};

// A Caller carried across threads; asked only on its own thread.
class CallerRef
{
public:
    CallerRef() = default;
    explicit CallerRef(const Caller &c) : m_object(c.object), m_listening(c.listening) {}

    bool live() const { return m_object && (!m_listening || m_listening(m_object.data())); }
    const QPointer<QObject> &object() const { return m_object; }

private:
    QPointer<QObject> m_object;
    bool (*m_listening)(const QObject *) = nullptr;
};

} // namespace sanayicin::chat
