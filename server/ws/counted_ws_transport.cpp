#include "counted_ws_transport.h"

namespace sanayicin {

CountedWsTransport::CountedWsTransport(std::unique_ptr<WsTransport> inner,
                                       ConnectionTicket ticket, ConnectionTicket forwarded)
    : m_inner(std::move(inner)), m_ticket(std::move(ticket)), m_forwarded(std::move(forwarded))
{
    // The connection sets its handlers on this object; the inner transport
    // reports to them (looked up at each call, so later changes count).
    m_inner->setHandlers({[this](const QByteArray &utf8) {
                              if (m_handlers.text)
                                  m_handlers.text(utf8);
                          },
                          [this] {
                              if (m_handlers.binary)
                                  m_handlers.binary();
                          },
                          [this] {
                              if (m_handlers.heard)
                                  m_handlers.heard();
                          },
                          [this](int code) {
                              if (m_handlers.closed)
                                  m_handlers.closed(code);
                          }});
}

CountedWsTransport::~CountedWsTransport()
{
    m_inner->setHandlers({});
}

} // namespace sanayicin
