#include "password_hasher.h"

#include <QRandomGenerator>
#include <argon2.h>

namespace sanayicin {

namespace {
constexpr quint32 kParallelism = 1;
constexpr quint32 kHashLength = 32;
constexpr quint32 kSaltLength = 16;
} // namespace

PasswordHasher::PasswordHasher(quint32 memoryKiB, quint32 iterations, int threads)
    : m_memoryKiB(memoryKiB), m_iterations(iterations)
{
    m_pool.setMaxThreadCount(threads);
    m_pool.setObjectName(QStringLiteral("argon2"));
    m_dummyHash = hash(QStringLiteral("not a real password"));
}

QString PasswordHasher::hash(const QString &password) const
{
    const QByteArray pwd = password.toUtf8();
    quint32 salt[kSaltLength / 4];
    QRandomGenerator::system()->fillRange(salt);
    const size_t encodedLength = argon2_encodedlen(m_iterations, m_memoryKiB, kParallelism,
                                                   kSaltLength, kHashLength, Argon2_id);
    QByteArray encoded(qsizetype(encodedLength), '\0');
    const int rc = argon2id_hash_encoded(m_iterations, m_memoryKiB, kParallelism, pwd.constData(),
                                         size_t(pwd.size()), salt, kSaltLength, kHashLength,
                                         encoded.data(), encodedLength);
    if (rc != ARGON2_OK)
        qFatal("argon2id failed: %s", argon2_error_message(rc));
    return QString::fromLatin1(encoded.constData()); // NUL-terminated
}

bool PasswordHasher::verify(const QString &encoded, const QString &password) const
{
    const QByteArray enc = encoded.toLatin1();
    const QByteArray pwd = password.toUtf8();
    return argon2id_verify(enc.constData(), pwd.constData(), size_t(pwd.size())) == ARGON2_OK;
}

void PasswordHasher::verifyDummy(const QString &password) const
{
    (void)verify(m_dummyHash, password);
}

void PasswordHasher::run(std::function<void()> work)
{
    m_pool.start(std::move(work));
}

} // namespace sanayicin
