-- Study books: admin-curated courses of ordered lessons, each with messages sent to participants on a
-- personal schedule (offsets from the participant's start date, in the participant's time zone).
CREATE TABLE books (
  id TEXT NOT NULL UNIQUE,
  title TEXT NOT NULL,
  description TEXT NOT NULL DEFAULT '',
  cover_text TEXT NOT NULL DEFAULT '',
  active INTEGER NOT NULL DEFAULT 1,
  published INTEGER NOT NULL DEFAULT 0,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);

CREATE TABLE lessons (
  id TEXT NOT NULL UNIQUE,
  book_id TEXT NOT NULL REFERENCES books (id) ON DELETE CASCADE,
  position INTEGER NOT NULL,
  title TEXT NOT NULL,
  content TEXT NOT NULL DEFAULT '',
  active INTEGER NOT NULL DEFAULT 1,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX lessons_book ON lessons (book_id, position);

-- A lesson's messages: the admin's (workspace_id NULL) and a workspace's own for its participants.
CREATE TABLE lesson_messages (
  id TEXT NOT NULL UNIQUE,
  lesson_id TEXT NOT NULL REFERENCES lessons (id) ON DELETE CASCADE,
  workspace_id TEXT REFERENCES workspaces (id) ON DELETE CASCADE,
  type TEXT NOT NULL CHECK (type IN ('reminder', 'scripture', 'custom')),
  body TEXT NOT NULL,
  day_offset INTEGER NOT NULL CHECK (day_offset >= 0),
  send_time TEXT NOT NULL,                   -- HH:MM, the participant's local time
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX lesson_messages_lesson ON lesson_messages (lesson_id);

CREATE TABLE participants (
  id TEXT NOT NULL UNIQUE,
  workspace_id TEXT NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  book_id TEXT NOT NULL REFERENCES books (id) ON DELETE CASCADE,
  contact_id TEXT NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,
  time_zone TEXT NOT NULL,
  start_date TEXT NOT NULL,                  -- YYYY-MM-DD, day 0
  lesson_ids TEXT NOT NULL,                  -- JSON array: the lessons selected
  status TEXT NOT NULL CHECK (status IN ('active', 'paused', 'canceled')),
  created_by TEXT NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  UNIQUE (workspace_id, book_id, contact_id)
);
CREATE INDEX participants_book ON participants (book_id, workspace_id);

-- Which scheduled message carries which lesson message to which participant (the latest one).
CREATE TABLE participant_messages (
  participant_id TEXT NOT NULL REFERENCES participants (id) ON DELETE CASCADE,
  lesson_message_id TEXT NOT NULL REFERENCES lesson_messages (id) ON DELETE CASCADE,
  message_id TEXT NOT NULL,
  PRIMARY KEY (participant_id, lesson_message_id)
) WITHOUT ROWID;
CREATE INDEX participant_messages_message ON participant_messages (message_id);

-- Replies count as engagement when they come within a window after a lesson message.
ALTER TABLE inbound_messages ADD COLUMN received_ms INTEGER;
CREATE INDEX inbound_received ON inbound_messages (workspace_id, contact_id, received_ms);
