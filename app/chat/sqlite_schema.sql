-- The SQLite chat store's tables (app/chat/sqlite_file.py runs this on opening the file).
-- Chats, their messages, counsellors' availability, the admission gate, used start forms:
CREATE TABLE IF NOT EXISTS chats (
    chat_id TEXT PRIMARY KEY,
    token_hash TEXT UNIQUE,
    state TEXT NOT NULL,
    nickname TEXT NOT NULL DEFAULT '',
    counsellor INTEGER,
    queue_seq INTEGER,
    created REAL NOT NULL,
    visitor_seen REAL NOT NULL,
    last_activity REAL NOT NULL,
    visitor_typed REAL,
    counsellor_typed REAL,
    last_seq INTEGER NOT NULL DEFAULT 0,
    end_reason TEXT,
    ended REAL
);
CREATE TABLE IF NOT EXISTS messages (
    chat_id TEXT NOT NULL,
    seq INTEGER NOT NULL,
    author TEXT NOT NULL,
    body TEXT NOT NULL,
    at REAL NOT NULL,
    PRIMARY KEY (chat_id, seq)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS available (counsellor INTEGER PRIMARY KEY, until REAL NOT NULL);
CREATE TABLE IF NOT EXISTS admissions (at REAL NOT NULL);
CREATE TABLE IF NOT EXISTS unproven_admissions (at REAL NOT NULL);
CREATE TABLE IF NOT EXISTS unproven (chat_id TEXT PRIMARY KEY);
DROP TABLE IF EXISTS used_forms;
CREATE TABLE IF NOT EXISTS used_start_forms (key TEXT PRIMARY KEY, period INTEGER NOT NULL);
-- Side threads to a colleague and their messages (app/chat/sqlite_side.py), wiped with the chat.
CREATE TABLE IF NOT EXISTS side_threads (
    chat_id TEXT PRIMARY KEY,
    colleague INTEGER NOT NULL,
    reading INTEGER NOT NULL DEFAULT 0,
    last_seq INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS side_messages (
    chat_id TEXT NOT NULL,
    seq INTEGER NOT NULL,
    author TEXT NOT NULL,
    body TEXT NOT NULL,
    at REAL NOT NULL,
    PRIMARY KEY (chat_id, seq)
) WITHOUT ROWID;
