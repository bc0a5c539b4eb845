-- Sessions carry the generation of their user at login; a ban raises the
-- user's generation, so every session from before it (and one a login in
-- flight inserts while the ban commits) stops working for good, even after
-- an unban. session_user.sql compares the two.
ALTER TABLE users ADD COLUMN session_generation BIGINT NOT NULL DEFAULT 0;
ALTER TABLE sessions ADD COLUMN generation BIGINT NOT NULL DEFAULT 0;

-- When a participant opened the conversation: its creator at creation, the
-- other one when they ask for it too (POST /conversations). A participant
-- sees a conversation once it has a message or they opened it; presence and
-- the peer's username are shared only when both see it (docs/protocol.md).
-- Conversations from before stay unopened: with messages nothing changes,
-- an empty one shows up again when its creator asks for it.
ALTER TABLE participants ADD COLUMN opened_at BIGINT;
