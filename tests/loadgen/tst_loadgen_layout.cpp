// Who is who in a run: pairs, and with --ring a second conversation per
// user joining the pairs into a ring; the options that refuse a ring.

#include "layout.h"
#include "options.h"

#include <QtTest>

#include <set>

using namespace sanayicin::loadgen;

namespace {

bool parse(std::vector<const char *> args, Options &o, std::string &error)
{
    args.insert(args.begin(), "sanayicin-loadgen");
    return parseOptions(int(args.size()), const_cast<char **>(args.data()), o, error);
}

} // namespace

class tst_LoadgenLayout : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void pairsWithoutRing();
    void ringJoinsThePairs();
    void ringIsRefusedWhereItCannotBe();
};

void tst_LoadgenLayout::pairsWithoutRing()
{
    Options o;
    std::string error;
    QVERIFY2(parse({"--url", "ws://127.0.0.1:1/ws", "--connections", "8", "--users", "4"}, o, error), error.c_str());
    Layout l = planLayout(o);
    QCOMPARE(l.conversations.size(), size_t(2));
    QVERIFY(l.ringConversations.empty());
    l.conversations = {70, 71};
    const auto c = l.conversationsOfUser(3);
    QCOMPARE(c.size(), size_t(1));
    QCOMPARE(c[0].id, 71);
    QCOMPARE(c[0].peer, 2u);
}

void tst_LoadgenLayout::ringJoinsThePairs()
{
    Options o;
    std::string error;
    QVERIFY2(parse({"--url", "ws://127.0.0.1:1/ws", "--connections", "12", "--users", "6", "--ring"}, o, error),
             error.c_str());
    Layout l = planLayout(o);
    QCOMPARE(l.ringConversations.size(), size_t(3));
    l.conversations = {70, 71, 72};
    l.ringConversations = {80, 81, 82};
    // Every user in two conversations, each conversation with two users,
    // and both see it the same way.
    std::map<int64_t, std::set<uint32_t>> members;
    for (uint32_t u = 0; u < 6; ++u) {
        const auto c = l.conversationsOfUser(u);
        QCOMPARE(c.size(), size_t(2));
        QCOMPARE(c[0].id, 70 + int64_t(u / 2));
        QVERIFY(c[0].id != c[1].id);
        for (const UserConversation &x : c) {
            QVERIFY(x.peer != u);
            members[x.id].insert(u);
            members[x.id].insert(x.peer);
        }
    }
    QCOMPARE(members.size(), size_t(6));
    for (const auto &[id, users] : members)
        QCOMPARE(users.size(), size_t(2));
    QCOMPARE(members[80], (std::set<uint32_t>{1, 2}));
    QCOMPARE(members[81], (std::set<uint32_t>{3, 4}));
    QCOMPARE(members[82], (std::set<uint32_t>{5, 0}));
    // The receivers of a ring conversation are both users' connections.
    const auto receivers = l.receiversByConversation();
    QCOMPARE(receivers.at(82).size(), size_t(4));
}

void tst_LoadgenLayout::ringIsRefusedWhereItCannotBe()
{
    for (const std::vector<const char *> &args : std::vector<std::vector<const char *>>{
             {"--url", "ws://127.0.0.1:1/ws", "--connections", "2", "--ring"},
             {"--url", "ws://127.0.0.1:1/ws", "--connections", "8", "--ring", "--no-setup"},
             {"--url", "ws://127.0.0.1:1/ws", "--storm", "10", "--ring"}}) {
        Options o;
        std::string error;
        QVERIFY(!parse(args, o, error));
        QVERIFY2(error.find("--ring") != std::string::npos, error.c_str());
    }
}

QTEST_APPLESS_MAIN(tst_LoadgenLayout)
#include "tst_loadgen_layout.moc"
