-- What recipients did with email: the workspace's suppression list (no email goes to these addresses),
-- soft bounces counted towards it, and per-message opens, clicks and unsubscribes.

-- One row per suppressed address (lower-cased); the first reason stays.
CREATE TABLE email_suppressions (
  workspace_id TEXT NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  address TEXT NOT NULL,
  reason TEXT NOT NULL CHECK (reason IN ('hard_bounce', 'complaint', 'unsubscribe', 'manual', 'soft_bounce_threshold')),
  message_id TEXT,                           -- the email that caused it, if one did
  campaign_id TEXT,                          -- that email's campaign
  created_at TEXT NOT NULL,
  PRIMARY KEY (workspace_id, address)
);
CREATE INDEX email_suppressions_created ON email_suppressions (workspace_id, created_at, address);

-- Soft bounces of an address since `first_ms`; the count starts over after a quiet month.
CREATE TABLE email_soft_bounces (
  workspace_id TEXT NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  address TEXT NOT NULL,
  bounces INTEGER NOT NULL,
  first_ms BIGINT NOT NULL,
  last_ms BIGINT NOT NULL,
  PRIMARY KEY (workspace_id, address)
);

-- One row per email someone opened, clicked or unsubscribed from. Opens fetched by mail privacy proxies
-- (`machine_opens`) are counted apart from people's (`opens`).
CREATE TABLE email_engagement (
  message_id TEXT PRIMARY KEY,
  workspace_id TEXT NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  campaign_id TEXT,
  opens INTEGER NOT NULL DEFAULT 0,
  machine_opens INTEGER NOT NULL DEFAULT 0,
  clicks INTEGER NOT NULL DEFAULT 0,
  first_opened_at TEXT,
  last_opened_at TEXT,
  first_machine_open_at TEXT,
  first_clicked_at TEXT,
  last_clicked_at TEXT,
  unsubscribed_at TEXT
);
CREATE INDEX email_engagement_campaign ON email_engagement (campaign_id) WHERE campaign_id IS NOT NULL;

-- Suppressing an address opts out the workspace's contacts that have it.
CREATE INDEX contacts_email ON contacts (workspace_id, email) WHERE email IS NOT NULL;
