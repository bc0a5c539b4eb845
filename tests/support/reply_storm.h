#pragma once

// Pieces of the reply storms (tst_mailbox, tst_reply_storms): an object
// that answers write into while another thread may destroy it, and a way
// to run code on a thread's event loop. Header only: tst_mailbox links
// nothing but common/.

#include <QObject>
#include <QThread>
#include <atomic>

namespace sanayicin::test {

// An object of the asking thread that answers write into. Each carries a
// heap buffer so that an answer after its death touches freed memory (a
// report under ASan). With `dieAfter`, it deletes itself (queued, on its
// thread) once that many answers reached it: behind the answers already
// queued to it, while others may still be on their way.
class StormTarget : public QObject
{
public:
    explicit StormTarget(std::atomic<int> &hits, int dieAfter = 0)
        : m_hits(hits), m_dieAfter(dieAfter), m_cells(new int[64]())
    {}
    ~StormTarget() override { delete[] m_cells; }
    void hit()
    {
        if (QThread::currentThread() != thread())
            qFatal("an answer ran on a thread other than the asker's");
        m_cells[m_mine % 64] += 1;
        m_hits.fetch_add(1, std::memory_order_relaxed);
        if (++m_mine == m_dieAfter)
            QMetaObject::invokeMethod(this, [this] { delete this; }, Qt::QueuedConnection);
    }

private:
    std::atomic<int> &m_hits;
    int m_dieAfter;
    int m_mine = 0;
    int *m_cells;
};

// Runs `f` on `thread`'s event loop and waits for it.
template<typename F>
void onThread(QThread &thread, F f)
{
    QObject ctx;
    ctx.moveToThread(&thread);
    QMetaObject::invokeMethod(&ctx, f, Qt::BlockingQueuedConnection);
}

} // namespace sanayicin::test
