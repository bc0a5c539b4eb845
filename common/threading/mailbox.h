#pragma once

#include <QObject>
#include <QPointer>
#include <functional>
#include <memory>
#include <mutex>
#include <vector>

namespace sanayicin {

// A thread's inbox for replies that other threads send it: the one way an
// answer crosses back to the thread that asked (database jobs, batched
// look-ups, the writer's acks, chat/ services).
//
// Why not QMetaObject::invokeMethod(target, ...) from the worker: that needs
// the target alive at the moment of the post, and a QPointer checked on the
// worker's thread can go null right after the check (check-then-post race).
// Here the worker only ever touches the mailbox, which is reference counted
// and locked: a post either queues the reply or, once the mailbox is closed,
// drops it. Whether the target itself still lives is asked on the target's
// own thread when the reply runs (post with a guard), where nothing can
// destroy it concurrently.
//
// Each thread has one, made on first use (Mailbox::here()). Its owner closes
// it first at shutdown (closeHere(), before the thread's objects go); at the
// latest it closes when the thread ends. Replies posted to a closed mailbox
// are dropped, never run.
class Mailbox
{
public:
    using Reply = std::function<void()>;

    ~Mailbox();

    // The calling thread's mailbox (the thread must run an event loop for
    // replies to arrive).
    static std::shared_ptr<Mailbox> here();
    // Closes the calling thread's mailbox: queued replies are dropped now, on
    // this thread; later posts are dropped as they come. Idempotent.
    static void closeHere();

    // Any thread. `reply` runs on the mailbox's thread, in post order, or
    // is dropped if the mailbox is closed by then.
    void post(Reply reply);
    // The same, run only if `guard` (for an object of the mailbox's thread)
    // still points at a live object then: asked on that thread, where
    // nothing can destroy the object meanwhile. One closure, no extra
    // allocation.
    template<typename F>
    void post(QPointer<QObject> guard, F reply)
    {
        post(Reply([guard = std::move(guard), reply = std::move(reply)]() mutable {
            if (guard)
                reply();
        }));
    }

    bool isClosed() const;
    // Replies waiting (for tests and metrics).
    size_t waiting() const;

private:
    class Receiver;
    Mailbox();
    void close();
    void drain();

    mutable std::mutex m_mutex;
    Receiver *m_receiver = nullptr; // null once closed; lives on the owner thread
    std::vector<Reply> m_queue;
    bool m_wakePending = false; // a wake event is queued and has not started draining
    bool m_closed = false;
    bool m_draining = false; // owner thread only
};

using MailboxPtr = std::shared_ptr<Mailbox>;

} // namespace sanayicin
