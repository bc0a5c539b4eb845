#include "home_thread.h"

#include "threading/mailbox.h"

#include <QPointer>
#include <QThread>

namespace sanayicin::jobs {

bool enqueueFromElsewhere(QObject *queue, const std::shared_ptr<Mailbox> &home, JobSpec &spec,
                          std::function<void(bool ok, QString id)> &done, EnqueueHere here)
{
    if (QThread::currentThread() == queue->thread())
        return false;
    std::shared_ptr<Mailbox> caller = done ? Mailbox::here() : nullptr;
    home->post(QPointer<QObject>(queue), [spec = std::move(spec), caller, done = std::move(done),
                                          here = std::move(here)]() mutable {
        here(std::move(spec), [caller, done](bool ok, QString id) {
            if (caller)
                caller->post([done, ok, id] { done(ok, id); });
        });
    });
    return true;
}

} // namespace sanayicin::jobs
