#pragma once

#include "protocol/delivered_message.h"

#include <memory>

namespace sanayicin {

// Where the writer hands what it committed. Delivery implements it, the
// daemon gives it to the writer at construction, so storage never calls up
// into delivery.
class CommittedBatchSink
{
public:
    virtual ~CommittedBatchSink() = default;

    // Called on the writer thread after each COMMIT and before any sender
    // hears its ack, with the batch's new messages in commit order (never
    // empty). It must not block: it hands the batch to its own thread.
    virtual void committed(std::shared_ptr<const MessageBatch> batch) = 0;
};

} // namespace sanayicin
