-- A workspace's events, written in the same transaction as the change they announce, then published to
-- live streams and fanned out to webhooks after commit. A crash in between delays an event; it loses none.
CREATE TABLE workspace_events (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,     -- also the event's id on the stream (Last-Event-ID)
  workspace_id TEXT NOT NULL,
  type TEXT NOT NULL,
  data TEXT NOT NULL,
  created_at TEXT NOT NULL
);
CREATE INDEX workspace_events_workspace ON workspace_events (workspace_id, seq);

-- How far webhook fan-out has got (one row): events after it are fanned out on the next flush.
CREATE TABLE event_cursors (name TEXT PRIMARY KEY, seq INTEGER NOT NULL) WITHOUT ROWID;
INSERT INTO event_cursors (name, seq) VALUES ('webhooks', 0);
