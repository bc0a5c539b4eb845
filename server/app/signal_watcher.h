#pragma once

#include <QObject>
#include <QSocketNotifier>

namespace sanayicin {

// POSIX signals into the event loop: the handler only writes the signal's
// number to a pipe; the loop reads it and emits signalReceived().
class SignalWatcher : public QObject
{
    Q_OBJECT
public:
    explicit SignalWatcher(std::initializer_list<int> signals, QObject *parent = nullptr);
    ~SignalWatcher() override;

Q_SIGNALS:
    void signalReceived(int signal);

private:
    void readPipe();
    QSocketNotifier *m_notifier = nullptr;
};

} // namespace sanayicin
