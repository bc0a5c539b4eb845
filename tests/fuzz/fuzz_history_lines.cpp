// history-check's reader and checker on any bytes, cut into lines as a
// history file is: a line is accepted only as an event of a known kind with
// its fields in range, whatever the checker is fed it does not crash, and
// its verdict is a FAIL unless the history ended with an "end" line.

#include "history_checker.h"
#include "history_reader.h"

#include <QByteArray>
#include <cstdint>

using namespace sanayicin::historycheck;

namespace {

[[noreturn]] void fail()
{
    __builtin_trap();
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray all = QByteArray::fromRawData(reinterpret_cast<const char *>(data), qsizetype(size));
    HistoryChecker checker;
    bool sawEnd = false;
    for (const QByteArray &line : all.split('\n')) {
        Event e;
        QString error;
        if (!parseEventLine(line, e, error)) {
            if (error.isEmpty())
                fail();
            continue;
        }
        if (!error.isEmpty() || e.t < 0)
            fail();
        using K = Event::Kind;
        const bool hasConnection = e.kind != K::Run && e.kind != K::End && e.kind != K::Conv && e.kind != K::Fault;
        if (hasConnection && e.c < 0)
            fail();
        if ((e.kind == K::Ack || e.kind == K::Msg) && (e.id < 1 || e.seq < 1 || e.conv < 1))
            fail();
        if ((e.kind == K::Send || e.kind == K::Ack) && e.cmid.isEmpty())
            fail();
        if (e.kind == K::End)
            sawEnd = true;
        checker.add(e);
    }
    const Verdict v = checker.finish();
    if (v.text().isEmpty() || v.complete != sawEnd || (!sawEnd && v.ok()))
        fail();
    return 0;
}
