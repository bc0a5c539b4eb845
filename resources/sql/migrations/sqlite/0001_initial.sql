-- Accounts, sessions, the tradesman directory, conversations and messages.
-- Times are milliseconds since the Unix epoch (UTC) in BIGINT columns, the
-- same in both dialects.


CREATE TABLE users (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    username TEXT NOT NULL UNIQUE,
    display_name TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('customer', 'tradesman', 'admin')),
    password_hash TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    banned_at BIGINT,
    ban_reason TEXT
);

-- Tokens are stored only as SHA-256 hashes.
CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);
CREATE INDEX sessions_by_user ON sessions (user_id);

-- *_key and search_text hold Turkish-aware case folds made by the daemon.
CREATE TABLE profiles (
    user_id BIGINT PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    business_name TEXT NOT NULL DEFAULT '',
    category TEXT NOT NULL DEFAULT '',
    city TEXT NOT NULL DEFAULT '',
    district TEXT NOT NULL DEFAULT '',
    description TEXT NOT NULL DEFAULT '',
    category_key TEXT NOT NULL DEFAULT '',
    city_key TEXT NOT NULL DEFAULT '',
    search_text TEXT NOT NULL DEFAULT '',
    updated_at BIGINT NOT NULL
);
CREATE INDEX profiles_by_category_city ON profiles (category_key, city_key);
CREATE INDEX profiles_by_city ON profiles (city_key);

-- One conversation per pair: user_a < user_b.
CREATE TABLE conversations (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    user_a BIGINT NOT NULL REFERENCES users (id),
    user_b BIGINT NOT NULL REFERENCES users (id),
    created_at BIGINT NOT NULL,
    last_seq BIGINT NOT NULL DEFAULT 0,
    last_message_id BIGINT NOT NULL DEFAULT 0,
    CHECK (user_a < user_b),
    UNIQUE (user_a, user_b)
);

CREATE TABLE participants (
    conversation_id BIGINT NOT NULL REFERENCES conversations (id),
    user_id BIGINT NOT NULL REFERENCES users (id),
    peer_id BIGINT NOT NULL REFERENCES users (id),
    activity_at BIGINT NOT NULL,
    last_read_message_id BIGINT NOT NULL DEFAULT 0,
    last_read_seq BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (conversation_id, user_id)
);
CREATE INDEX participants_by_activity
    ON participants (user_id, activity_at DESC, conversation_id DESC);

-- Message ids come from id_counters under a row lock held to commit, so ids
-- are handed out in commit order across every writer (see architecture.md).
CREATE TABLE messages (
    id BIGINT PRIMARY KEY,
    conversation_id BIGINT NOT NULL REFERENCES conversations (id),
    seq BIGINT NOT NULL,
    sender_id BIGINT NOT NULL REFERENCES users (id),
    client_msg_id TEXT NOT NULL,
    body TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    deleted_at BIGINT,
    UNIQUE (conversation_id, seq),
    UNIQUE (sender_id, client_msg_id)
);
CREATE INDEX messages_by_conversation ON messages (conversation_id, id);

CREATE TABLE id_counters (
    name TEXT PRIMARY KEY,
    value BIGINT NOT NULL
);
INSERT INTO id_counters (name, value) VALUES ('message', 0);

CREATE TABLE reports (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    message_id BIGINT NOT NULL REFERENCES messages (id),
    reporter_id BIGINT NOT NULL REFERENCES users (id),
    reason TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    resolved_at BIGINT
);
CREATE INDEX reports_by_time ON reports (created_at);

-- Who did what, for moderators.
CREATE TABLE moderation_log (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    actor_id BIGINT NOT NULL REFERENCES users (id),
    action TEXT NOT NULL,
    target_user_id BIGINT,
    target_message_id BIGINT,
    reason TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL
);
