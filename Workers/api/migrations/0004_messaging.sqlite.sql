-- Scheduled SMS: messages with their timeline, per-workspace provider settings, inbound messages.
CREATE TABLE messages (
  id TEXT NOT NULL UNIQUE,
  workspace_id TEXT NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  created_by TEXT NOT NULL,                  -- the user whose rate limit it counts against
  contact_id TEXT,                           -- kept as text: a deleted contact leaves its history
  to_phone TEXT NOT NULL,
  template_id TEXT,
  body TEXT,                                 -- custom text when no template
  sent_text TEXT,                            -- the exact text handed to the provider
  scheduled_at TEXT NOT NULL,
  due_ms INTEGER NOT NULL,                   -- scheduled_at in ms since 1970, for the engine
  time_zone TEXT,
  category TEXT NOT NULL DEFAULT 'general',
  campaign TEXT,
  status TEXT NOT NULL CHECK (status IN ('pending', 'sending', 'sent', 'delivered', 'undelivered', 'failed', 'canceled', 'review')),
  attempts INTEGER NOT NULL DEFAULT 0,
  provider TEXT,
  provider_message_id TEXT,
  error_code TEXT,
  error_message TEXT,
  -- A delivery job carries the version it was queued for; rescheduling or retrying bumps it, so a stale
  -- job finds a newer version and does nothing.
  version INTEGER NOT NULL DEFAULT 1,
  enqueued INTEGER NOT NULL DEFAULT 0,       -- a delivery job for this version is on the queue
  lease_until_ms INTEGER,                    -- external delivery: leased until then
  sent_at TEXT,
  sent_ms INTEGER,
  delivered_at TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX messages_created ON messages (workspace_id, created_at);
CREATE INDEX messages_status ON messages (workspace_id, status);
CREATE INDEX messages_campaign ON messages (workspace_id, campaign) WHERE campaign IS NOT NULL;
CREATE INDEX messages_unqueued ON messages (updated_at) WHERE status = 'pending' AND enqueued = 0;
CREATE INDEX messages_sent ON messages (sent_ms) WHERE sent_ms IS NOT NULL;
CREATE UNIQUE INDEX messages_provider_id ON messages (provider_message_id) WHERE provider_message_id IS NOT NULL;

-- Each attempt (started, then its result) and each status reached.
CREATE TABLE message_events (
  id INTEGER PRIMARY KEY,
  message_id TEXT NOT NULL,
  at TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('attempt', 'status')),
  result TEXT NOT NULL,                      -- attempt: started|accepted|transient|permanent|unknown; status: the status
  provider TEXT,
  provider_message_id TEXT,
  error_code TEXT,
  error_message TEXT
);
CREATE INDEX message_events_message ON message_events (message_id, id);

CREATE TABLE sms_settings (
  workspace_id TEXT PRIMARY KEY REFERENCES workspaces (id) ON DELETE CASCADE,
  provider TEXT NOT NULL CHECK (provider IN ('simulated', 'twilio', 'external')),
  from_number TEXT,
  messaging_service_sid TEXT,
  account_sid TEXT,
  auth_token_sealed TEXT,                    -- AES-256-GCM under the host's credentials key, base64
  help_text TEXT,
  updated_at TEXT NOT NULL
);
CREATE UNIQUE INDEX sms_settings_number ON sms_settings (from_number) WHERE from_number IS NOT NULL;

CREATE TABLE inbound_messages (
  id TEXT NOT NULL UNIQUE,
  workspace_id TEXT NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  contact_id TEXT NOT NULL,
  provider_message_id TEXT NOT NULL UNIQUE,  -- a repeated webhook is stored once
  from_phone TEXT NOT NULL,
  to_phone TEXT NOT NULL,
  body TEXT NOT NULL,
  keyword TEXT,                              -- stop|start|help when the body was one
  received_at TEXT NOT NULL
);
CREATE INDEX inbound_contact ON inbound_messages (workspace_id, contact_id, received_at);
