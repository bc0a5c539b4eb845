#pragma once

#include "job.h"

#include <QObject>
#include <memory>

namespace sanayicin {
class Mailbox;
}

namespace sanayicin::jobs {

// A queue lives on one thread; producers call enqueue() from theirs. This
// hands such a call to the queue's thread (through `home`, the queue's
// mailbox, only while `queue` lives) and its answer back to the caller's.
// False when the caller is on the queue's thread already: run it there.
using EnqueueHere = std::function<void(JobSpec spec, std::function<void(bool, QString)> done)>;
bool enqueueFromElsewhere(QObject *queue, const std::shared_ptr<Mailbox> &home, JobSpec &spec,
                          std::function<void(bool ok, QString id)> &done, EnqueueHere here);

} // namespace sanayicin::jobs
