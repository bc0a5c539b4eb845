#include "network_thread.h"

#include "daemon_config.h"
#include "delivery/hub.h"
#include "http/http_deps.h"
#include "http/http_server.h"
#include "logging/log.h"
#include "net/epoll_dispatcher.h"
#include "services.h"
#include "threading/mailbox.h"
#include "watchdog.h"
#include "ws/ws_gateway.h"
#include "threading/thread_exit.h"

#include <QSemaphore>
#include <unistd.h>

namespace sanayicin {

namespace {
QSemaphore *g_started = nullptr; // set only during startAndWait()
}

NetworkThread::NetworkThread(Services &services, const WsDeps &ws, const Router &router,
                             int listenFd, int index)
    : m_services(services), m_ws(ws), m_router(router), m_fd(listenFd)
{
    setObjectName(QStringLiteral("net-%1").arg(index));
    if (services.config.epollLoop)
        setEventDispatcher(new EpollEventDispatcher);
}

NetworkThread::~NetworkThread()
{
    quit();
    wait();
}

void NetworkThread::startAndWait()
{
    QSemaphore started;
    g_started = &started;
    start();
    started.acquire();
    g_started = nullptr;
}

void NetworkThread::stopListening()
{
    if (ListeningServer *l = m_listener.load())
        QMetaObject::invokeMethod(l, [l] { l->close(); }, Qt::QueuedConnection);
}

int NetworkThread::connectionCount() const
{
    WsGateway *g = m_gateway.load();
    return g ? g->connectionCount() : 0;
}

void NetworkThread::run()
{
    waitForThisThreadAtExit();
    WsGateway gateway(m_ws);
    HttpServer http(*m_services.http, m_router, &gateway, HttpServer::Role::Public);
    // Created here so that it belongs to this thread; bind() re-parents it.
    auto *listener = new ListeningServer(*m_services.http, http, true);
    if (!listener->setSocketDescriptor(m_fd)) {
        qCCritical(lcApp) << "cannot adopt the listening socket:" << listener->errorString();
        delete listener;
        ::close(m_fd);
    } else {
        listener->setMaxPendingConnections(100000);
        listener->startAccepting();
        http.bind(listener);
        m_listener = listener;
    }
    std::unique_ptr<HttpServer> ops;
    if (m_opsRouter && m_opsFd >= 0) {
        ops = std::make_unique<HttpServer>(*m_services.http, *m_opsRouter, nullptr,
                                           HttpServer::Role::Operations);
        auto *opsListener = new ListeningServer(*m_services.http, *ops, false);
        if (!opsListener->setSocketDescriptor(m_opsFd)) {
            qCCritical(lcApp) << "cannot adopt the operations socket:" << opsListener->errorString();
            delete opsListener;
            ::close(m_opsFd);
        } else {
            opsListener->startAccepting();
            ops->bind(opsListener);
        }
    }
    m_services.hub.addHost(&gateway);
    m_gateway = &gateway;
    QObject beatOwner; // the heartbeat's timer, on this thread's loop
    if (m_heartbeat)
        m_heartbeat->startBeating(&beatOwner);
    g_started->release();
    exec();
    // First: replies still on their way here are dropped from now on, on
    // this thread, before the gateway, the servers and their connections go.
    Mailbox::closeHere();
    m_services.hub.removeHost(&gateway);
    m_gateway = nullptr;
    m_listener = nullptr;
}

} // namespace sanayicin
