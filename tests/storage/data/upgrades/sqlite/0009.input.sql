-- Frozen rows as schema version 9 held them (sqlite): tst_upgrades
-- migrates an empty database to version 9, runs this file, upgrades to the
-- newest and compares every table with 0009.expected.txt. Never edit a
-- shipped version's rows; a new migration adds its own file.
-- Version 9: notification_marks, per recipient the newest message id a
-- webhook notification covered and a run's lease (one held, one expired).
-- The rows of version 7 otherwise (version 8's job tables start empty).
-- Shape every version keeps (the group commit after the upgrade relies on
-- it): users 1-3; conversation 10 of users 1 and 2 with user 1's message
-- 'c1'; conversation 11 of users 1 and 3 without messages.

INSERT INTO users (id, username, display_name, role, password_hash, created_at, banned_at, ban_reason, session_generation, search_key) VALUES
    (1, 'ayse', 'Ayşe Yılmaz', 'customer', '$argon2id$frozen-1', 1000, NULL, NULL, 0, 'ayse ayşe yilmaz'),
    (2, 'usta', 'Usta Tesisat', 'tradesman', '$argon2id$frozen-2', 1000, NULL, NULL, 0, 'usta usta tesisat'),
    (3, 'can', 'Can', 'customer', '$argon2id$frozen-3', 1000, 5000, 'spam', 1, 'can can'),
    (4, 'yonetici', 'Yönetici', 'admin', '$argon2id$frozen-4', 900, NULL, NULL, 0, 'yonetici yönetici');
INSERT INTO sessions (token_hash, user_id, created_at, expires_at, generation) VALUES
    ('h1', 1, 1000, 9000000000000, 0),
    ('h2', 2, 1100, 9000000000000, 0),
    ('h3', 3, 1200, 9000000000000, 0);
INSERT INTO profiles (user_id, business_name, category, city, district, description, category_key, city_key, search_text, updated_at) VALUES
    (2, 'Usta Tesisat', 'Tesisat', 'İstanbul', 'Kadıköy', 'Kombi ve petek', 'tesisat', 'istanbul', 'usta tesisat tesisat istanbul kadıköy kombi ve petek', 1500);
INSERT INTO conversations (id, user_a, user_b, created_at, last_seq, last_message_id, activity_at) VALUES
    (10, 1, 2, 2000, 3, 102, 4000),
    (11, 1, 3, 2500, 0, 0, 2500),
    (12, 2, 3, 2600, 2, 104, 4700);
INSERT INTO participants (conversation_id, user_id, peer_id, last_read_message_id, last_read_seq, unread_count, opened_at) VALUES
    (10, 1, 2, 101, 2, 0, 2000),
    (10, 2, 1, 100, 1, 1, 2100),
    (11, 1, 3, 0, 0, 0, 2500),
    (11, 3, 1, 0, 0, 0, NULL),
    (12, 2, 3, 0, 0, 1, 2600),
    (12, 3, 2, 104, 2, 0, 2650);
INSERT INTO messages (id, conversation_id, seq, sender_id, client_msg_id, body, created_at, deleted_at) VALUES
    (100, 10, 1, 1, 'c1', 'Merhaba, kombi arızalı', 3000, NULL),
    (101, 10, 2, 2, 'u1', 'Buyurun, yarın gelirim', 3500, NULL),
    (102, 10, 3, 1, 'c2', 'Fiyat?', 4000, NULL),
    (103, 12, 1, 3, 'k1', '', 4500, 4600),
    (104, 12, 2, 3, 'k2', 'Usta bey?', 4700, NULL);
UPDATE id_counters SET value = 104 WHERE name = 'message';
INSERT INTO reports (id, message_id, reporter_id, reason, created_at, resolved_at, resolved_by, resolution, note) VALUES
    (1, 103, 2, 'spam', 4550, 4600, 4, 'actioned', 'silindi'),
    (2, 102, 2, 'kaba', 4100, NULL, NULL, NULL, '');
INSERT INTO moderation_log (id, actor_id, action, target_user_id, target_message_id, reason, created_at, report_id) VALUES
    (1, 4, 'delete_message', 3, 103, 'spam', 4600, NULL),
    (2, 4, 'ban', 3, NULL, 'spam', 5000, NULL),
    (3, 4, 'resolve_report', 3, 103, 'actioned', 4600, 1);
INSERT INTO notification_marks (user_id, notified_up_to, notified_at, lease_token, lease_until) VALUES
    (1, 101, 3600, NULL, 0),
    (2, 104, 4800, 'frozen-lease', 9000000000000),
    (3, 0, 0, 'expired-lease', 1);
