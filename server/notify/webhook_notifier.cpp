#include "webhook_notifier.h"

#include "logging/log.h"
#include "notification_payload.h"
#include "storage/db_pool.h"
#include "storage/message_store.h"
#include "storage/notification_store.h"
#include "time/clock.h"
#include "webhook_signature.h"

#include <QMetaEnum>
#include <QNetworkAccessManager>
#include <QNetworkProxy>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QPointer>
#include <QRandomGenerator>
#include <QTimer>
#include <QUrl>
#include <optional>

namespace sanayicin::notify {

namespace {

// Conversations read per notification (the payload lists the newest 50).
constexpr qint64 kReadConversations = 1000;
// A response body is not needed; past this much it is not read further.
constexpr qint64 kMaxResponseBytes = 64 * 1024;
// The lease outlives the POST's own deadline by this much (database work
// before and after it).
constexpr qint64 kLeaseMarginMs = 30000;

QByteArray leaseToken()
{
    quint64 words[2];
    QRandomGenerator::system()->fillRange(words);
    return QByteArray(reinterpret_cast<const char *>(words), sizeof words).toHex();
}

QString networkErrorName(QNetworkReply::NetworkError e)
{
    // Never errorString(): Qt puts the URL, query and all, into it.
    const char *name = QMetaEnum::fromType<QNetworkReply::NetworkError>().valueToKey(e);
    return name ? QString::fromLatin1(name) : QString::number(int(e));
}

} // namespace

jobs::JobOutcome outcomeOfStatus(int status)
{
    if (status >= 200 && status <= 299)
        return jobs::JobOutcome::Done;
    if (status == 408 || status == 429 || (status >= 500 && status <= 599))
        return jobs::JobOutcome::Retry;
    return jobs::JobOutcome::Fail;
}

struct WebhookNotifier::Run
{
    jobs::Job job;
    std::function<void(jobs::JobResult)> finish;
    qint64 userId = 0;
    QByteArray leaseToken; // empty: no lease held
    NotificationContent content;
    QPointer<QNetworkReply> reply;
    QString timedOut; // "connect" or "total" once a deadline passed
    qint64 responseBytes = 0;
};

WebhookNotifier::WebhookNotifier(NotifySettings settings, DbPool &pool, OnlineCheck isOnline,
                                 QObject *parent)
    : QObject(parent), m_settings(std::move(settings)), m_pool(pool)
    , m_isOnline(std::move(isOnline)), m_http(new QNetworkAccessManager(this))
{
    // Straight to the receiver: no proxy from the environment (cookies are
    // neither sent nor kept: see post()).
    m_http->setProxy(QNetworkProxy::NoProxy);
}

WebhookNotifier::~WebhookNotifier()
{
    const auto running = m_running.values();
    for (const auto &run : running) {
        if (run->reply)
            run->reply->disconnect(this);
        end(run, {jobs::JobOutcome::Retry, QStringLiteral("the notifier stopped")});
    }
}

jobs::JobHandler WebhookNotifier::handler()
{
    return [this](const jobs::Job &job, std::function<void(jobs::JobResult)> finish) {
        run(job, std::move(finish));
    };
}

void WebhookNotifier::run(const jobs::Job &job, std::function<void(jobs::JobResult)> finish)
{
    if (thread() != QThread::currentThread()) {
        QMetaObject::invokeMethod(
            this, [this, job, finish = std::move(finish)]() mutable { run(job, std::move(finish)); },
            Qt::QueuedConnection);
        return;
    }
    auto r = std::make_shared<Run>();
    r->job = job;
    r->finish = std::move(finish);
    m_running.insert(r.get(), r);
    const auto user = recipientOfPayload(job.payload);
    if (!user) {
        end(r, {jobs::JobOutcome::Fail, QStringLiteral("the payload is not {\"userId\":N}")});
        return;
    }
    r->userId = *user;
    if (!m_settings.enabled()) {
        // Turned off while jobs waited: they end quietly, not as dead letters.
        end(r, {jobs::JobOutcome::Done, QStringLiteral("no webhook is configured: nothing sent")});
        return;
    }
    m_isOnline(r->userId, [this, r, guard = QPointer<WebhookNotifier>(this)](std::optional<bool> online) {
        if (!guard)
            return; // destroyed meanwhile: it ended the job already
        if (!online) {
            end(r, {jobs::JobOutcome::Retry, QStringLiteral("presence unknown (Redis unreachable)")});
        } else if (*online) {
            m_skippedOnline.fetch_add(1, std::memory_order_relaxed);
            end(r, {jobs::JobOutcome::Done, QStringLiteral("online: nothing sent")});
        } else {
            prepare(r);
        }
    });
}

WebhookNotifier::OnlineCheck WebhookNotifier::localPresence(std::function<bool(qint64)> isOnline)
{
    return [isOnline = std::move(isOnline)](qint64 userId, Answer answer) {
        answer(isOnline(userId));
    };
}

void WebhookNotifier::prepare(const std::shared_ptr<Run> &r)
{
    struct Prepared
    {
        bool leased = false;
        QByteArray token;
        QList<store::UnreadFromPeer> unread;
        QHash<qint64, QString> previews;
    };
    const qint64 userId = r->userId;
    const qint64 leaseMs = m_settings.totalTimeoutMs + kLeaseMarginMs;
    const int previewChars = m_settings.previewChars;
    m_pool.run<Prepared>(
        this,
        [userId, leaseMs, previewChars](Db &db) {
            Prepared p;
            const qint64 now = nowMs();
            const QByteArray token = leaseToken();
            const auto watermark = store::takeNotificationLease(db, userId, token, now + leaseMs, now);
            if (!watermark)
                return p;
            p.leased = true;
            p.token = token;
            p.unread = store::unreadToNotify(db, userId, *watermark, kReadConversations);
            if (p.unread.isEmpty()) {
                store::releaseNotificationLease(db, userId, token);
                p.token.clear();
                return p;
            }
            if (previewChars > 0) {
                const qsizetype n = std::min<qsizetype>(p.unread.size(),
                                                        NotificationContent::kListedConversations);
                for (qsizetype i = 0; i < n; ++i) {
                    const auto m = store::messageById(db, p.unread[i].lastMessageId);
                    if (m && !m->deleted)
                        p.previews.insert(p.unread[i].conversationId, previewOf(m->body, previewChars));
                }
            }
            return p;
        },
        [this, r](Prepared p) {
            if (!p.leased) {
                // Another run for this recipient is sending now: later, this
                // one finds its messages notified.
                end(r, {jobs::JobOutcome::Retry, QStringLiteral("another run holds the recipient's lease")});
                return;
            }
            if (p.unread.isEmpty()) {
                m_nothingNew.fetch_add(1, std::memory_order_relaxed);
                end(r, {jobs::JobOutcome::Done, QStringLiteral("nothing unread and not yet notified")});
                return;
            }
            r->leaseToken = p.token;
            r->content.deliveryId = r->job.id;
            r->content.recipientId = r->userId;
            r->content.createdAtMs = nowMs();
            r->content.unread = std::move(p.unread);
            r->content.previews = std::move(p.previews);
            post(r);
        },
        [this, r](const DbError &e) {
            end(r, {jobs::JobOutcome::Retry, QStringLiteral("database: ") + QString::fromUtf8(e.what())});
        });
}

void WebhookNotifier::post(const std::shared_ptr<Run> &r)
{
    const QByteArray body = r->content.toJson();
    const qint64 timestamp = nowMs() / 1000;
    QNetworkRequest request(m_settings.url->url);
    request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
    request.setHeader(QNetworkRequest::UserAgentHeader, QByteArrayLiteral("sanayicind-webhook"));
    request.setRawHeader(kTimestampHeader, QByteArray::number(timestamp));
    request.setRawHeader(kSignatureHeader, webhookSignature(m_settings.secret, timestamp, body));
    // Job ids are the queue's; encoded so that no byte of one can end a header.
    request.setRawHeader(kDeliveryHeader, QUrl::toPercentEncoding(r->job.id));
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::ManualRedirectPolicy);
    request.setAttribute(QNetworkRequest::Http2AllowedAttribute, false);
    request.setAttribute(QNetworkRequest::CookieLoadControlAttribute, QNetworkRequest::Manual);
    request.setAttribute(QNetworkRequest::CookieSaveControlAttribute, QNetworkRequest::Manual);
    m_posts.fetch_add(1, std::memory_order_relaxed);
    QNetworkReply *reply = m_http->post(request, body);
    r->reply = reply;

    auto *connectTimer = new QTimer(reply);
    connectTimer->setSingleShot(true);
    auto *totalTimer = new QTimer(reply);
    totalTimer->setSingleShot(true);
    connect(connectTimer, &QTimer::timeout, reply, [r, reply] {
        r->timedOut = QStringLiteral("connect");
        reply->abort();
    });
    connect(totalTimer, &QTimer::timeout, reply, [r, reply] {
        r->timedOut = QStringLiteral("total");
        reply->abort();
    });
    connect(reply, &QNetworkReply::requestSent, connectTimer, &QTimer::stop);
    connect(reply, &QNetworkReply::readyRead, reply, [r, reply] {
        // The body means nothing to us; read it away, but not without end
        // (the status, known by now, still decides).
        r->responseBytes += reply->readAll().size();
        if (r->responseBytes > kMaxResponseBytes)
            reply->abort();
    });
    connect(reply, &QNetworkReply::finished, this, [this, r, reply] {
        reply->deleteLater();
        const QVariant status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute);
        if (status.isValid() && status.toInt() > 0) {
            const int code = status.toInt();
            const jobs::JobOutcome outcome = outcomeOfStatus(code);
            settle(r, {outcome, outcome == jobs::JobOutcome::Done
                                    ? QString()
                                    : QStringLiteral("the webhook answered %1").arg(code)});
        } else if (!r->timedOut.isEmpty()) {
            settle(r, {jobs::JobOutcome::Retry,
                       QStringLiteral("the webhook timed out (%1)").arg(r->timedOut)});
        } else {
            settle(r, {jobs::JobOutcome::Retry,
                       QStringLiteral("the webhook could not be reached: ") + networkErrorName(reply->error())});
        }
    });
    connectTimer->start(m_settings.connectTimeoutMs);
    totalTimer->start(m_settings.totalTimeoutMs);
}

void WebhookNotifier::settle(const std::shared_ptr<Run> &r, jobs::JobResult result)
{
    const qint64 userId = r->userId;
    const QByteArray token = r->leaseToken;
    if (result.outcome == jobs::JobOutcome::Done) {
        const qint64 upTo = r->content.upToMessageId();
        m_pool.run<bool>(
            this,
            [userId, token, upTo](Db &db) {
                store::markNotified(db, userId, upTo, nowMs(), token);
                return true;
            },
            [this, r](bool) {
                r->leaseToken.clear();
                end(r, {jobs::JobOutcome::Done, {}});
            },
            [this, r](const DbError &e) {
                // Sent but not recorded: the retry sends it again with the
                // same delivery id, which the receiver de-duplicates.
                end(r, {jobs::JobOutcome::Retry,
                        QStringLiteral("delivered, not recorded: ") + QString::fromUtf8(e.what())});
            });
        return;
    }
    if (result.outcome == jobs::JobOutcome::Fail)
        qCWarning(lcJobs).noquote() << "webhook.notify job" << r->job.id << "failed:" << result.error;
    m_pool.run<bool>(
        this,
        [userId, token](Db &db) {
            store::releaseNotificationLease(db, userId, token);
            return true;
        },
        [this, r, result](bool) {
            r->leaseToken.clear();
            end(r, result);
        },
        // The lease runs out by itself.
        [this, r, result](const DbError &) { end(r, result); });
}

void WebhookNotifier::end(const std::shared_ptr<Run> &r, jobs::JobResult result)
{
    if (!m_running.remove(r.get()))
        return; // already ended
    auto finish = std::move(r->finish);
    if (finish)
        finish(std::move(result));
}

} // namespace sanayicin::notify
