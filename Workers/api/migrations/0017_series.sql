-- Recurring sends. A series plans its occurrences one at a time, each a normal `messages` row carrying
-- `series_id`: the first when the series is made, each next one in the transaction that claims the one
-- before it for sending, so a crash can neither lose the next one nor plan it twice.
CREATE TABLE series (
  id TEXT NOT NULL UNIQUE,
  workspace_id TEXT NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  channel TEXT NOT NULL CHECK (channel IN ('sms', 'email')),
  created_by TEXT NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('active', 'stopped', 'finished')),
  stopped_reason TEXT,
  rule TEXT NOT NULL,                        -- the recurrence (JSON) with every default filled in
  -- What each occurrence sends, to whom: a contact (its current address at planning), or the address.
  contact_id TEXT,
  to_address TEXT NOT NULL,
  template_id TEXT,
  body TEXT,
  content_id TEXT,                           -- email: the `email_contents` row the occurrences share
  variables TEXT,
  category TEXT NOT NULL,
  campaign TEXT,
  planned BIGINT NOT NULL DEFAULT 0,         -- occurrences planned so far (the rule's count is of these)
  last_message_id TEXT,                      -- the latest occurrence: a next one is planned once it leaves `pending`
  next_due_ms BIGINT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX series_created ON series (workspace_id, created_at, id);
CREATE INDEX series_active ON series (state) WHERE state = 'active';

-- Occurrence n of a series is one message: the key makes planning idempotent per occurrence.
CREATE TABLE series_occurrences (
  series_id TEXT NOT NULL REFERENCES series (id) ON DELETE CASCADE,
  occurrence BIGINT NOT NULL,
  message_id TEXT NOT NULL UNIQUE,
  PRIMARY KEY (series_id, occurrence)
);
