#include "history_checker.h"

#include <algorithm>
#include <utility>

namespace sanayicin::historycheck {

namespace {

constexpr qint64 kSyncGraceNs = 1000000000; // sanayicind --sync-grace-ms default

QString sendKey(qint64 c, const QString &cmid)
{
    return QString::number(c) + u'|' + cmid;
}

QString seconds(qint64 ns)
{
    return QString::number(double(ns) / 1e9, 'f', 3) + QStringLiteral(" s");
}

} // namespace

void HistoryChecker::violation(const QString &kind, const QString &detail, const QString &where)
{
    ++m_v.violations[kind];
    if (m_exampleCount[kind]++ < Verdict::kExamplesPerKind)
        m_v.examples.append({kind, detail, where});
}

HistoryChecker::Conn &HistoryChecker::conn(qint64 c)
{
    return m_conns[c];
}

void HistoryChecker::noteMessage(qint64 id, const Message &m, const QString &where)
{
    auto it = m_messages.find(id);
    if (it == m_messages.end()) {
        m_messages.insert(id, m);
    } else if (it->conv != m.conv || it->seq != m.seq || (it->sender && m.sender && it->sender != m.sender)
               || it->cmid != m.cmid) {
        violation(QStringLiteral("id-two-contents"),
                  QStringLiteral("message %1 seen as conversation %2 seq %3 (%4) and as conversation %5 seq %6 (%7)")
                      .arg(id).arg(it->conv).arg(it->seq).arg(it->cmid).arg(m.conv).arg(m.seq).arg(m.cmid),
                  where);
        return;
    } else if (!it->sender) {
        it->sender = m.sender;
    }
    if (m.sender && !m.cmid.isEmpty()) {
        QSet<qint64> &ids = m_stored[QString::number(m.sender) + u'|' + m.cmid];
        ids.insert(id);
        if (ids.size() == 2)
            violation(QStringLiteral("duplicate-stored"),
                      QStringLiteral("client_msg_id %1 of user %2 stored as two messages (ids %3 and %4)")
                          .arg(m.cmid)
                          .arg(m.sender)
                          .arg(*std::min_element(ids.begin(), ids.end()))
                          .arg(*std::max_element(ids.begin(), ids.end())),
                      where);
    }
}

void HistoryChecker::add(const Event &e)
{
    using K = Event::Kind;
    switch (e.kind) {
    case K::Run:
        return;
    case K::End:
        m_v.complete = true;
        return;
    case K::Conv:
        m_convs.insert(e.conv, {e.u1, e.u2});
        return;
    case K::Conn:
        conn(e.c).uid = e.uid;
        return;
    case K::Open: {
        Conn &c = conn(e.c);
        if (!c.uid)
            c.uid = e.uid;
        else if (c.uid != e.uid)
            violation(QStringLiteral("wrong-user"),
                      QStringLiteral("connection %1 of user %2 opened as user %3").arg(e.c).arg(c.uid).arg(e.uid),
                      e.where);
        ++m_v.opens;
        if (e.last < c.highestSeen)
            violation(QStringLiteral("backwards"),
                      QStringLiteral("hello on connection %1 says last_message_id %2, but it had message %3 already")
                          .arg(e.c).arg(e.last).arg(c.highestSeen),
                      e.where);
        if (!c.firstOpenNs)
            c.firstOpenNs = e.t;
        if (c.left)
            ++m_v.churnReturns;
        else if (e.re || c.away)
            ++m_v.reconnects;
        const auto r = m_openReconnect.find(e.c);
        if (r != m_openReconnect.end()) {
            m_reconnects[*r].backNs = e.t;
            m_openReconnect.erase(r);
        }
        judgeWindow(c);
        c.open = true;
        c.away = false;
        c.left = false;
        c.syncAfter = -1;
        c.held = true; // until the grace period ends or the first sync is answered
        c.openNs = e.t;
        c.carry.clear();
        c.chainBefore.clear();
        return;
    }
    case K::Lost:
    case K::Close: {
        Conn &c = conn(e.c);
        judgeWindow(c); // a page cut short by the loss
        c.open = false;
        c.syncAfter = -1;
        if (e.kind == K::Close && !e.churn)
            return; // the generator's own close at the end: pending sends stay pending (silent)
        c.away = true;
        c.lostAtNs = e.t;
        if (e.churn) {
            ++m_v.churns;
            c.left = true; // not a loss: no fault's recovery counts it
        } else {
            ++m_v.losses;
            m_openReconnect.insert(e.c, m_reconnects.size());
            m_reconnects.push_back({e.t, 0});
        }
        for (const QString &cmid : std::as_const(c.pending)) {
            auto s = m_sends.find(sendKey(e.c, cmid));
            if (s != m_sends.end() && s->state == SendState::Pending)
                s->state = SendState::LostConnection;
        }
        c.pending.clear();
        return;
    }
    case K::Send: {
        const QString key = sendKey(e.c, e.cmid);
        if (m_sends.contains(key)) {
            violation(QStringLiteral("input"),
                      QStringLiteral("client_msg_id %1 sent twice on connection %2 (the generator never repeats one)")
                          .arg(e.cmid).arg(e.c),
                      e.where);
            return;
        }
        ++m_v.sends;
        Send s;
        s.t = e.t;
        s.c = e.c;
        s.conv = e.conv;
        s.cmid = e.cmid;
        s.where = e.where;
        m_sends.insert(key, s);
        conn(e.c).pending.insert(e.cmid);
        return;
    }
    case K::Ack:
        onAck(e);
        return;
    case K::Error: {
        if (e.ref.isEmpty()) {
            // A sync that failed (the generator asks again), or a frame of
            // no send. A failed sync releases what the server held.
            Conn &c = conn(e.c);
            if (c.syncAfter >= 0) {
                judgeWindow(c);
                c.syncAfter = -1;
                c.held = false;
            }
            return;
        }
        auto s = m_sends.find(sendKey(e.c, e.ref));
        if (s == m_sends.end())
            return;
        if (s->state == SendState::Pending) {
            s->state = SendState::Refused;
            s->errorCode = e.errorCode;
            ++m_v.refusedByCode[e.errorCode];
            conn(e.c).pending.remove(e.ref);
        } else if (s->state == SendState::Acked) {
            violation(QStringLiteral("ack-and-error"),
                      QStringLiteral("send %1 on connection %2 was acknowledged, then refused (%3)")
                          .arg(e.ref).arg(e.c).arg(e.errorCode),
                      e.where);
        }
        return;
    }
    case K::Msg:
        onMsg(e);
        return;
    case K::Sync: {
        Conn &c = conn(e.c);
        judgeWindow(c);
        ++m_v.syncs;
        c.syncAfter = e.after;
        // Live messages flow (and may cross this sync) once one came live,
        // or once the grace period after hello is over (default 1 s).
        c.mayCross = !c.held || e.t - c.openNs > kSyncGraceNs;
        if (e.final) {
            if (!c.finalAsked)
                ++m_v.finalSyncsAsked;
            c.finalAsked = true;
        }
        return;
    }
    case K::Synced: {
        Conn &c = conn(e.c);
        judgeWindow(c, &e);
        c.held = e.more; // the server holds live messages until the next sync
        if (!e.more) {
            c.carry.clear();
            c.chainBefore.clear();
        }
        if (c.syncAfter >= 0 && e.last < c.syncAfter)
            violation(QStringLiteral("backwards"),
                      QStringLiteral("synced on connection %1 says last_id %2, below the after_id %3 it was asked")
                          .arg(e.c).arg(e.last).arg(c.syncAfter),
                      e.where);
        c.syncAfter = -1;
        if (!e.more && c.finalAsked && !c.finalDone) {
            c.finalDone = true;
            ++m_v.finalSyncsDone;
        }
        return;
    }
    case K::Fault:
        m_markers.append({e.name, e.faultStart, e.t});
        return;
    }
}

void HistoryChecker::onAck(const Event &e)
{
    Conn &c = conn(e.c);
    auto s = m_sends.find(sendKey(e.c, e.cmid));
    if (s == m_sends.end()) {
        violation(QStringLiteral("input"),
                  QStringLiteral("ack of %1 on connection %2, which sent no such message").arg(e.cmid).arg(e.c),
                  e.where);
        return;
    }
    m_ackTimes.push_back(e.t);
    noteGiven(c, e.t, e.id);
    if (s->state == SendState::Acked) {
        if (s->id != e.id)
            violation(QStringLiteral("duplicate-ack"),
                      QStringLiteral("client_msg_id %1 acknowledged as message %2 and as message %3")
                          .arg(e.cmid).arg(s->id).arg(e.id),
                      e.where);
        return;
    }
    if (s->state == SendState::Refused)
        violation(QStringLiteral("ack-and-error"),
                  QStringLiteral("send %1 on connection %2 was refused, then acknowledged as message %3")
                      .arg(e.cmid).arg(e.c).arg(e.id),
                  e.where);
    if (e.conv != s->conv)
        violation(QStringLiteral("ack-conversation"),
                  QStringLiteral("send %1 to conversation %2 acknowledged in conversation %3")
                      .arg(e.cmid).arg(s->conv).arg(e.conv),
                  e.where);
    s->state = SendState::Acked;
    s->id = e.id;
    s->seq = e.seq;
    c.pending.remove(e.cmid);
    c.tracks[e.conv].seqs.insert(e.seq);
    noteMessage(e.id, {e.conv, e.seq, c.uid, e.cmid}, e.where);
}

void HistoryChecker::onMsg(const Event &e)
{
    Conn &c = conn(e.c);
    if (e.viaSync)
        ++m_v.deliveriesSync;
    else
        ++m_v.deliveriesLive;
    noteMessage(e.id, {e.conv, e.seq, e.sender, e.cmid}, e.where);
    noteGiven(c, e.t, e.id);
    if (e.viaSync && c.syncAfter >= 0) {
        c.window.append(e); // judged when the sync is answered (or the connection ends)
        return;
    }
    if (!e.viaSync)
        c.held = false;
    deliverTo(c, e);
}

void HistoryChecker::pageOutOfOrder(const Event &e, qint64 afterSeq)
{
    violation(QStringLiteral("order"),
              QStringLiteral("connection %1, conversation %2: seq %3 (message %4, by sync) after seq %5")
                  .arg(e.c).arg(e.conv).arg(e.seq).arg(e.id).arg(afterSeq),
              e.where);
}

void HistoryChecker::judgeWindow(Conn &c, const Event *synced)
{
    const QList<Event> window = std::exchange(c.window, {});
    if (window.isEmpty())
        return;
    const auto backwards = [&](const Event &e) {
        if (c.syncAfter >= 0 && e.id <= c.syncAfter)
            violation(QStringLiteral("backwards"),
                      QStringLiteral("sync after_id %1 on connection %2 answered message %3")
                          .arg(c.syncAfter).arg(e.c).arg(e.id),
                      e.where);
    };
    if (!c.mayCross && c.carry.isEmpty()) {
        for (const Event &e : window) { // all of it is the page
            backwards(e);
            deliverTo(c, e);
        }
        return;
    }
    // The page: the run at the end ascending by id and above after_id. Only
    // a sync sent while live messages flowed has live frames before it.
    qsizetype pageAt = window.size();
    while (pageAt > 0 && window[pageAt - 1].id > c.syncAfter
           && (pageAt == window.size() || window[pageAt - 1].id < window[pageAt].id))
        --pageAt;
    if (!c.mayCross)
        pageAt = 0;
    QSet<qint64> pageIds;
    qint64 pageLast = c.syncAfter;
    for (qsizetype i = pageAt; i < window.size(); ++i) {
        pageIds.insert(window[i].id);
        pageLast = std::max(pageLast, window[i].id);
    }
    const qint64 last = synced ? synced->last : pageLast;
    const bool more = !synced || synced->more; // a page cut short by a loss may go on too
    QSet<qint64> mayRepeat = c.carry; // what the page may send again
    for (qsizetype i = 0; i < pageAt; ++i)
        mayRepeat.insert(window[i].id);

    // The page against what the client had before the sync, and against the
    // live frames before it.
    // (A page that goes on after has_more is judged against the pages
    // before it, not against the live frames beyond them.)
    QHash<qint64, Track> before = c.chainBefore.isEmpty() ? c.tracks : c.chainBefore;
    for (qsizetype i = pageAt; i < window.size(); ++i) {
        const Event &e = window[i];
        backwards(e);
        Track &b = before[e.conv];
        if (e.seq <= b.lastSeq || e.id <= b.lastId)
            pageOutOfOrder(e, b.lastSeq);
        b.lastSeq = std::max(b.lastSeq, e.seq);
        b.lastId = std::max(b.lastId, e.id);
        for (qsizetype j = 0; j < pageAt; ++j) {
            const Event &live = window[j];
            const bool ahead = pageIds.contains(live.id) || (more && live.id > last);
            if (live.conv == e.conv && live.seq > e.seq && !ahead)
                pageOutOfOrder(e, live.seq);
        }
    }
    // The live frames as they came; then the page: what it sends again once
    // is the crossing, the rest a delivery like any (a duplicate if the
    // client had it before the sync). Its order was judged above.
    for (qsizetype i = 0; i < pageAt; ++i)
        deliverTo(c, window[i]);
    for (qsizetype i = pageAt; i < window.size(); ++i) {
        const Event &e = window[i];
        if (mayRepeat.remove(e.id)) {
            c.carry.remove(e.id);
            ++m_v.crossed;
            continue;
        }
        Track &t = c.tracks[e.conv];
        const Track now = t;
        t.lastSeq = 0; // judged above
        t.lastId = 0;
        deliverTo(c, e);
        t.lastSeq = std::max(t.lastSeq, now.lastSeq);
        t.lastId = std::max(t.lastId, now.lastId);
    }
    // Live frames beyond a page with has_more: the next page may send them.
    if (synced && synced->more) {
        for (qsizetype i = 0; i < pageAt; ++i)
            if (window[i].id > last)
                c.carry.insert(window[i].id);
    }
    if (synced && synced->more && !c.carry.isEmpty())
        c.chainBefore = before;
    else
        c.chainBefore.clear();
}

void HistoryChecker::deliverTo(Conn &c, const Event &e)
{
    if (c.delivered.contains(e.id)) {
        violation(QStringLiteral("duplicate-delivery"),
                  QStringLiteral("message %1 (conversation %2 seq %3) delivered twice to connection %4 (%5)")
                      .arg(e.id).arg(e.conv).arg(e.seq).arg(e.c)
                      .arg(e.viaSync ? QStringLiteral("the second by sync") : QStringLiteral("the second live")),
                  e.where);
        return;
    }
    c.delivered.insert(e.id);
    if (!e.viaSync && e.id < c.highestSeen && c.highestSeenConv != e.conv)
        violation(QStringLiteral("cursor-skip"),
                  QStringLiteral("connection %1: message %2 (conversation %3 seq %4) came live after message %5 "
                                 "(conversation %6): a sync from the highest id seen would have skipped it")
                      .arg(e.c).arg(e.id).arg(e.conv).arg(e.seq).arg(c.highestSeen).arg(c.highestSeenConv),
                  e.where);
    if (e.id > c.highestSeen) {
        c.highestSeen = e.id;
        c.highestSeenConv = e.conv;
    }
    Track &t = c.tracks[e.conv];
    if (e.seq <= t.lastSeq)
        violation(QStringLiteral("order"),
                  QStringLiteral("connection %1, conversation %2: seq %3 (message %4) after seq %5")
                      .arg(e.c).arg(e.conv).arg(e.seq).arg(e.id).arg(t.lastSeq),
                  e.where);
    else if (e.id <= t.lastId)
        violation(QStringLiteral("order"),
                  QStringLiteral("connection %1, conversation %2: message %3 (seq %4) after message %5")
                      .arg(e.c).arg(e.conv).arg(e.id).arg(e.seq).arg(t.lastId),
                  e.where);
    t.lastSeq = std::max(t.lastSeq, e.seq);
    t.lastId = std::max(t.lastId, e.id);
    t.seqs.insert(e.seq);
}

void HistoryChecker::checkDeliveries()
{
    const QHash<qint64, QList<qint64>> connsOfUser = connectionsByUser();
    for (auto it = m_sends.begin(); it != m_sends.end(); ++it) {
        Send &s = *it;
        const Conn &sender = m_conns[s.c];
        switch (s.state) {
        case SendState::Pending:
            ++m_v.silent;
            violation(QStringLiteral("silent"),
                      QStringLiteral("send %1 on connection %2: no ack, no error, and the connection was not lost")
                          .arg(s.cmid).arg(s.c),
                      s.where);
            continue;
        case SendState::Refused: {
            ++m_v.refused;
            // An error says "not stored" (docs/protocol.md): a refused send
            // that a participant received anyway was stored after all.
            const auto ids = m_stored.constFind(QString::number(sender.uid) + u'|' + s.cmid);
            if (ids == m_stored.cend() || ids->isEmpty())
                continue;
            ++m_v.refusedStored;
            s.id = *ids->cbegin();
            s.seq = m_messages.value(s.id).seq;
            violation(QStringLiteral("refused-but-stored"),
                      QStringLiteral("send %1 on connection %2 got error %3, yet it was stored as message %4 "
                                     "(conversation %5 seq %6) and delivered")
                          .arg(s.cmid).arg(s.c).arg(s.errorCode).arg(s.id).arg(s.conv).arg(s.seq),
                      s.where);
            m_conns[s.c].tracks[s.conv].seqs.insert(s.seq);
            break;
        }
        case SendState::LostConnection: {
            // Its fate is what the participants got in the end: stored or not.
            const auto ids = m_stored.constFind(QString::number(sender.uid) + u'|' + s.cmid);
            if (ids == m_stored.cend() || ids->isEmpty()) {
                ++m_v.lostNotStored;
                continue;
            }
            ++m_v.lostStored;
            s.id = *ids->cbegin();
            s.seq = m_messages.value(s.id).seq;
            m_conns[s.c].tracks[s.conv].seqs.insert(s.seq); // its own: a client knows it sent it
            break;
        }
        case SendState::Acked:
            ++m_v.acked;
            break;
        }
        const auto conv = m_convs.constFind(s.conv);
        if (conv == m_convs.cend()) {
            violation(QStringLiteral("input"),
                      QStringLiteral("send %1 to conversation %2, which no conv line names").arg(s.cmid).arg(s.conv),
                      s.where);
            continue;
        }
        for (const qint64 user : {conv->first, conv->second}) {
            for (const qint64 rc : connsOfUser.value(user)) {
                if (rc == s.c)
                    continue; // the sender's own connection has the ack
                const Conn &r = m_conns[rc];
                if (!r.firstOpenNs || r.firstOpenNs > s.t)
                    continue; // not open when it was sent: it owes nothing
                ++m_v.receiverPairs;
                if (r.delivered.contains(s.id))
                    continue;
                if (r.away || (r.finalAsked && !r.finalDone) || !r.finalAsked) {
                    ++m_v.unverifiable; // not back or not synced at the end
                    continue;
                }
                violation(QStringLiteral("lost"),
                          QStringLiteral("message %1 (conversation %2 seq %3, %4 by connection %5) never delivered "
                                         "to connection %6 of user %7, open since before it was sent and synced at the end")
                              .arg(s.id).arg(s.conv).arg(s.seq)
                              .arg(s.state == SendState::Acked       ? QStringLiteral("acknowledged")
                                   : s.state == SendState::Refused ? QStringLiteral("refused, yet stored")
                                                                   : QStringLiteral("stored, its connection lost"))
                              .arg(s.c).arg(rc).arg(user),
                          s.where);
            }
        }
    }
}

QHash<qint64, QList<qint64>> HistoryChecker::connectionsByUser() const
{
    // For "every participant": a user's connections.
    QHash<qint64, QList<qint64>> out;
    for (auto it = m_conns.cbegin(); it != m_conns.cend(); ++it)
        out[it->uid].append(it.key());
    return out;
}

void HistoryChecker::noteGiven(Conn &c, qint64 t, qint64 id)
{
    if (!c.given.empty() && id <= c.given.back().second)
        return;
    c.given.emplace_back(c.given.empty() ? t : std::max(t, c.given.back().first), id);
}

void HistoryChecker::checkCommitOrder()
{
    // A send line is written before its frame leaves and a received frame's
    // line after it came, so a send later than a connection's receipt of id
    // N was committed after N was given: its id must be above N.
    const QHash<qint64, QList<qint64>> connsOfUser = connectionsByUser();
    for (const Send &s : std::as_const(m_sends)) {
        if (s.id <= 0)
            continue; // not stored
        const auto conv = m_convs.constFind(s.conv);
        if (conv == m_convs.cend())
            continue; // reported by checkDeliveries
        for (const qint64 user : {conv->first, conv->second}) {
            for (const qint64 rc : connsOfUser.value(user)) {
                const auto &given = m_conns[rc].given;
                const auto after = std::lower_bound(given.begin(), given.end(), s.t,
                                                    [](const auto &g, qint64 t) { return g.first < t; });
                if (after == given.begin() || std::prev(after)->second <= s.id)
                    continue;
                violation(QStringLiteral("backwards"),
                          QStringLiteral("message %1 (conversation %2) was sent on connection %3 after connection %4 "
                                         "(user %5) had been given message %6")
                              .arg(s.id).arg(s.conv).arg(s.c).arg(rc).arg(user).arg(std::prev(after)->second),
                          s.where);
            }
        }
    }
}

void HistoryChecker::checkGaps()
{
    for (auto it = m_conns.cbegin(); it != m_conns.cend(); ++it) {
        const Conn &c = *it;
        if (c.away || !c.finalDone)
            continue; // missed messages are allowed to be missing then
        for (auto t = c.tracks.cbegin(); t != c.tracks.cend(); ++t) {
            if (t->seqs.isEmpty())
                continue;
            std::vector<qint64> seqs(t->seqs.cbegin(), t->seqs.cend());
            std::sort(seqs.begin(), seqs.end());
            for (size_t i = 1; i < seqs.size(); ++i) {
                if (seqs[i] != seqs[i - 1] + 1) {
                    violation(QStringLiteral("gap"),
                              QStringLiteral("connection %1, conversation %2: has seq %3 and %4 but nothing between")
                                  .arg(it.key()).arg(t.key()).arg(seqs[i - 1]).arg(seqs[i]),
                              QString());
                }
            }
        }
    }
}

void HistoryChecker::faultReports()
{
    std::sort(m_ackTimes.begin(), m_ackTimes.end());
    for (qsizetype i = 0; i < m_markers.size(); ++i) {
        if (!m_markers[i].start)
            continue;
        Verdict::Fault f;
        f.name = m_markers[i].name;
        f.startNs = m_markers[i].t;
        for (qsizetype j = i + 1; j < m_markers.size(); ++j) {
            if (!m_markers[j].start && m_markers[j].name == f.name) {
                f.endNs = m_markers[j].t;
                break;
            }
        }
        if (!f.endNs) {
            violation(QStringLiteral("input"), QStringLiteral("fault %1 has no end marker").arg(f.name), QString());
            continue;
        }
        const auto from = std::lower_bound(m_ackTimes.begin(), m_ackTimes.end(), f.startNs);
        const auto after = std::upper_bound(m_ackTimes.begin(), m_ackTimes.end(), f.endNs);
        f.acksDuring = after - from;
        qint64 prev = f.startNs;
        for (auto a = from; a != m_ackTimes.end(); ++a) {
            f.longestGapNs = std::max(f.longestGapNs, *a - prev);
            prev = *a;
            if (a >= after)
                break;
        }
        if (after != m_ackTimes.end()) {
            f.recoveryNs = *after - f.endNs;
        } else {
            f.longestGapNs = std::max(f.longestGapNs, f.endNs - prev);
            violation(QStringLiteral("not-recovered"),
                      QStringLiteral("no send was acknowledged after fault %1 ended").arg(f.name), QString());
        }
        const qint64 windowEnd = f.recoveryNs >= 0 ? f.endNs + f.recoveryNs : f.endNs;
        for (const Reconnect &r : m_reconnects) {
            if (r.lostNs < f.startNs || r.lostNs > windowEnd)
                continue;
            ++f.connectionsLost;
            f.lastLossAfterNs = std::max(f.lastLossAfterNs, r.lostNs - f.startNs);
            if (r.backNs)
                f.connectionsBackMaxNs = std::max(f.connectionsBackMaxNs, r.backNs - r.lostNs);
            else
                ++f.connectionsNotBack;
        }
        m_v.faults.append(f);
    }
}

Verdict HistoryChecker::finish()
{
    m_v.connections = m_conns.size();
    for (Conn &c : m_conns)
        judgeWindow(c); // a sync never answered
    checkDeliveries();
    checkCommitOrder();
    checkGaps();
    faultReports();
    if (!m_v.complete)
        violation(QStringLiteral("input"),
                  QStringLiteral("no \"end\" line: the history is incomplete (generator killed?)"), QString());
    return m_v;
}

QString Verdict::text() const
{
    QString out;
    out += ok() ? QStringLiteral("verdict: PASS\n") : QStringLiteral("verdict: FAIL\n");
    out += QStringLiteral("connections %1: opened %2 times, lost %3 times, reconnected %4 times; syncs %5, final syncs %6 of %7\n")
               .arg(connections).arg(opens).arg(losses).arg(reconnects).arg(syncs).arg(finalSyncsDone).arg(finalSyncsAsked);
    if (churns)
        out += QStringLiteral("churn: %1 connections closed on purpose, %2 of them opened again\n").arg(churns).arg(churnReturns);
    QStringList codes;
    for (auto it = refusedByCode.cbegin(); it != refusedByCode.cend(); ++it)
        codes << QStringLiteral("%1 %2").arg(it.key()).arg(it.value());
    out += QStringLiteral("sends %1: acknowledged %2, refused %3%4 (of those stored anyway: %9), connection lost "
                          "before the answer %5 (stored %6, not stored %7), silent %8\n")
               .arg(sends).arg(acked).arg(refused)
               .arg(codes.isEmpty() ? QString() : QStringLiteral(" (") + codes.join(QStringLiteral(", ")) + u')')
               .arg(lostStored + lostNotStored).arg(lostStored).arg(lostNotStored).arg(silent).arg(refusedStored);
    out += QStringLiteral("deliveries: live %1, by sync %2 (of those sent live too, crossing the sync: %5); "
                          "receiver pairs checked %3, unverifiable %4 (receiver away or not synced at the end)\n")
               .arg(deliveriesLive).arg(deliveriesSync).arg(receiverPairs).arg(unverifiable).arg(crossed);
    for (const Fault &f : faults) {
        out += QStringLiteral("fault %1: lasted %2, %3 acks during it, longest time without an ack %4, "
                              "recovery (end -> first ack) %5; connections lost %6 (the last %9 after the start), "
                              "slowest back after %7, not back %8\n")
                   .arg(f.name, seconds(f.endNs - f.startNs)).arg(f.acksDuring).arg(seconds(f.longestGapNs))
                   .arg(f.recoveryNs >= 0 ? seconds(f.recoveryNs) : QStringLiteral("NONE"))
                   .arg(f.connectionsLost).arg(seconds(f.connectionsBackMaxNs)).arg(f.connectionsNotBack)
                   .arg(seconds(f.lastLossAfterNs));
    }
    if (violations.isEmpty()) {
        out += QStringLiteral("violations: none\n");
    } else {
        out += QStringLiteral("violations:\n");
        for (auto it = violations.cbegin(); it != violations.cend(); ++it)
            out += QStringLiteral("  %1: %2\n").arg(it.key()).arg(it.value());
        out += QStringLiteral("first examples:\n");
        for (const Example &e : examples)
            out += QStringLiteral("  [%1] %2%3\n").arg(e.kind, e.detail, e.where.isEmpty() ? QString() : QStringLiteral(" (") + e.where + u')');
    }
    return out;
}

} // namespace sanayicin::historycheck
