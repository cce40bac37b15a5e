-- Google Calendar: a member's connection (OAuth tokens sealed at rest), the Google calendars they chose
-- (rows of `calendars` with source 'google', each with its sync token and its push channel), and each
-- synced event's Google id, etag and `updated` (what write-back preconditions and echo checks compare).
CREATE TABLE google_connections (
  id TEXT PRIMARY KEY,
  workspace_id TEXT NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  google_email TEXT,
  scope TEXT NOT NULL,
  refresh_token TEXT NOT NULL,               -- sealed (AES-256-GCM under a key derived for this use)
  access_token TEXT,                         -- sealed
  access_expires_ms BIGINT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('connected', 'disconnected')),
  status_reason TEXT,                        -- why it is disconnected: revoked, or the member's own choice
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE UNIQUE INDEX google_connections_member ON google_connections (workspace_id, user_id);

ALTER TABLE calendars ADD COLUMN connection_id TEXT REFERENCES google_connections (id) ON DELETE CASCADE;
ALTER TABLE calendars ADD COLUMN google_calendar_id TEXT;
ALTER TABLE calendars ADD COLUMN sync_token TEXT;          -- Google's nextSyncToken; NULL: the next sync is a full one
ALTER TABLE calendars ADD COLUMN synced_at_ms BIGINT;      -- the last sync that finished
ALTER TABLE calendars ADD COLUMN sync_error TEXT;
ALTER TABLE calendars ADD COLUMN channel_id TEXT;          -- the push channel watching it
ALTER TABLE calendars ADD COLUMN channel_resource_id TEXT;
ALTER TABLE calendars ADD COLUMN channel_token TEXT;       -- sha256 hex of the X-Goog-Channel-Token it was given
ALTER TABLE calendars ADD COLUMN channel_expires_ms BIGINT;
ALTER TABLE calendars ADD COLUMN channel_renew_ms BIGINT;  -- when to replace it: well before it expires
CREATE UNIQUE INDEX calendars_google ON calendars (connection_id, google_calendar_id) WHERE google_calendar_id IS NOT NULL;
CREATE UNIQUE INDEX calendars_channel ON calendars (channel_id) WHERE channel_id IS NOT NULL;

ALTER TABLE calendar_events ADD COLUMN google_id TEXT;
ALTER TABLE calendar_events ADD COLUMN google_etag TEXT;   -- NULL while a write-back of a new event is under way
ALTER TABLE calendar_events ADD COLUMN google_updated_ms BIGINT;
CREATE UNIQUE INDEX calendar_events_google ON calendar_events (calendar_id, google_id) WHERE google_id IS NOT NULL;
-- One sync of a calendar at a time: the running one holds the lease (renewed at each page, let go only by
-- its holder); one asked for meanwhile sets sync_again, and the holder goes round once more.
ALTER TABLE calendars ADD COLUMN sync_lease_ms BIGINT;
ALTER TABLE calendars ADD COLUMN sync_holder TEXT;
ALTER TABLE calendars ADD COLUMN sync_again INTEGER NOT NULL DEFAULT 0;
ALTER TABLE calendars ADD COLUMN sync_queued_ms BIGINT;  -- when the sweep last queued it: one job at a time
