#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace sanayicin::loadgen {

// What the generator writes into each client_msg_id, so that an ack or a
// delivered message tells by itself when it was due and who sent it, without
// a table of messages in flight:  "<run>.<connection>.<n>.<due>"
//   run         8 hex digits, random per process: another run's messages in
//               the same conversations are recognised and not counted
//   connection  the sender's connection index
//   n           its message counter, so that repeats cannot collide
//   due         due time in ns since the run's clock origin
// At most 8+1+10+1+20+1+20 = 61 characters: within the 64 the protocol allows.
struct MsgTag
{
    uint32_t run = 0;
    uint32_t connection = 0;
    uint64_t n = 0;
    int64_t dueNs = 0; // relative to the clock origin
};

constexpr size_t kMsgTagMax = 64;

// Writes the tag into `buf` (at least kMsgTagMax bytes); returns its length.
size_t formatMsgTag(const MsgTag &tag, char *buf);
// Reads a tag; false when `text` is not one.
bool parseMsgTag(std::string_view text, MsgTag &out);

} // namespace sanayicin::loadgen
