#include "mailbox.h"

#include <QCoreApplication>
#include <QEvent>

namespace sanayicin {

namespace {
const QEvent::Type kWake = QEvent::Type(QEvent::registerEventType());
}

// The QObject the wake-up events are posted to, on the owner thread. Deleted
// there by close(); Qt then discards its pending wake-up with it.
class Mailbox::Receiver final : public QObject
{
public:
    explicit Receiver(Mailbox &box) : m_box(box) {}
    bool event(QEvent *e) override
    {
        if (e->type() != kWake)
            return QObject::event(e);
        m_box.drain();
        return true;
    }

private:
    Mailbox &m_box;
};

namespace {

// The thread's mailbox: closed by its owner or, at the latest, when the
// thread ends (this holder's destructor runs on the thread).
struct ThreadMailbox
{
    MailboxPtr box;
    ~ThreadMailbox();
};

thread_local ThreadMailbox t_mailbox;

} // namespace

Mailbox::Mailbox() : m_receiver(new Receiver(*this)) {}

Mailbox::~Mailbox()
{
    // The last reference went away on some thread after close() (the owner
    // thread always closes before it lets go of its own reference).
}

MailboxPtr Mailbox::here()
{
    if (!t_mailbox.box)
        t_mailbox.box.reset(new Mailbox);
    return t_mailbox.box;
}

void Mailbox::closeHere()
{
    if (t_mailbox.box)
        t_mailbox.box->close();
}

ThreadMailbox::~ThreadMailbox()
{
    Mailbox::closeHere(); // `box` is still there while this runs
}

void Mailbox::post(Reply reply)
{
    std::unique_lock lock(m_mutex);
    if (m_closed) {
        lock.unlock();
        return; // `reply` is destroyed here, never run
    }
    m_queue.push_back(std::move(reply));
    if (m_wakePending)
        return;
    m_wakePending = true;
    // Under the lock: close() deletes the receiver under the same lock, so
    // it cannot go away between the check above and this post.
    QCoreApplication::postEvent(m_receiver, new QEvent(kWake));
}

void Mailbox::drain()
{
    std::vector<Reply> batch;
    {
        std::lock_guard lock(m_mutex);
        batch.swap(m_queue);
        m_wakePending = false;
    }
    m_draining = true;
    for (Reply &r : batch) {
        if (m_closed) // a reply closed the mailbox: the rest are dropped
            break;
        r();
        r = nullptr; // what it holds goes now, in order
    }
    m_draining = false;
}

void Mailbox::close()
{
    std::vector<Reply> dropped;
    Receiver *receiver = nullptr;
    {
        std::lock_guard lock(m_mutex);
        if (m_closed)
            return;
        m_closed = true;
        dropped.swap(m_queue);
        receiver = std::exchange(m_receiver, nullptr);
        // Deleted under the lock, so no post can be aiming at it; from
        // inside its own wake-up (a reply closed the mailbox), once that
        // returns.
        if (m_draining)
            receiver->deleteLater();
        else
            delete receiver;
    }
    // `dropped` goes here, on the owner thread, outside the lock (what the
    // replies hold may post elsewhere as it is destroyed).
}

bool Mailbox::isClosed() const
{
    std::lock_guard lock(m_mutex);
    return m_closed;
}

size_t Mailbox::waiting() const
{
    std::lock_guard lock(m_mutex);
    return m_queue.size();
}

} // namespace sanayicin
