#pragma once

#include "mailbox.h"

#include <QObject>
#include <QPointer>
#include <QThread>

namespace sanayicin {

// Where the answer to a request goes: the asking thread's mailbox and a
// guard for the object that asked, both taken on the asking thread when the
// request is made. Whoever answers (any thread) only calls post(): the
// answer runs on the asking thread if that object still lives there then,
// which is asked there (Mailbox::post with a guard), never on the answering
// thread. A null object, or a default ReplyTo, drops every answer.
class ReplyTo
{
public:
    ReplyTo() = default;
    // On `asker`'s thread (see askedElsewhere()).
    explicit ReplyTo(QObject *asker) : m_box(Mailbox::here()), m_guard(asker)
    {
        Q_ASSERT(!asker || asker->thread() == QThread::currentThread());
    }

    // Any thread, any number of times. One closure per answer.
    template<typename F>
    void post(F answer) const &
    {
        if (m_box)
            m_box->post(m_guard, std::move(answer));
    }
    // The last (or only) answer: the guard moves instead of being copied.
    template<typename F>
    void post(F answer) &&
    {
        if (m_box)
            m_box->post(std::move(m_guard), std::move(answer));
    }

private:
    MailboxPtr m_box;
    QPointer<QObject> m_guard;
};

// For entry points that take a context object and promise the answer on its
// thread, when called from another thread: true if the caller is not on
// `context`'s thread. The entry point then queues the same call to
// `context` (QMetaObject::invokeMethod, queued) and returns; the call is
// redone there, where a ReplyTo can be taken. Qt drops it if `context` dies
// first. The caller keeps `context` alive for the call itself, as anyone
// handing over a raw pointer must.
inline bool askedElsewhere(const QObject *context)
{
    return context && context->thread() != QThread::currentThread();
}

} // namespace sanayicin
