-- Hosts sharing one database (a cluster on PostgreSQL): which host claimed each send, and each host's
-- heartbeat. A claim whose host has not beaten within its lease is a stopped host's, settled by another.
ALTER TABLE messages ADD COLUMN claimed_by TEXT;
CREATE INDEX messages_claimed ON messages (claimed_by) WHERE status = 'sending';
CREATE TABLE delivery_hosts (id TEXT PRIMARY KEY, seen_ms BIGINT NOT NULL);
-- The outbox cursor's lease: one host at a time hands events on (`WorkspaceEvents`).
ALTER TABLE event_cursors ADD COLUMN flusher TEXT;
ALTER TABLE event_cursors ADD COLUMN flusher_until_ms BIGINT NOT NULL DEFAULT 0;
