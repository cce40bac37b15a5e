-- Campaigns: one send to an audience on one channel, expanded into `messages` (campaign_id) batch by
-- batch. The engine holds a campaign's messages while `campaigns.state` is not 'running'.
CREATE TABLE campaigns (
  id TEXT PRIMARY KEY,
  workspace_id TEXT NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  channel TEXT NOT NULL CHECK (channel IN ('sms', 'email')),
  state TEXT NOT NULL CHECK (state IN ('draft', 'scheduled', 'running', 'paused', 'finished', 'cancelled')),
  state_reason TEXT,                         -- why it is where it is (auto-pause names the failures)
  audience TEXT NOT NULL,                    -- JSON: {"group_ids": [...]} | {"filter": "<query>"} | {"all": true}, + "opted_in_only"
  template_id TEXT,                          -- SMS: a template, or `body`
  body TEXT,
  from_address TEXT,                         -- email: the parts of its email_contents row
  reply_to TEXT,
  subject TEXT,
  html TEXT,
  text TEXT,
  track_opens INTEGER NOT NULL DEFAULT 0,
  track_clicks INTEGER NOT NULL DEFAULT 0,
  content_id TEXT,                           -- email: the email_contents row all recipients share, made at start
  send_at TEXT,
  send_at_ms BIGINT,
  throttle_per_second BIGINT NOT NULL,
  error_threshold BIGINT NOT NULL,           -- auto-pause once this many sends failed since the last (re)start
  failures_at_resume BIGINT NOT NULL DEFAULT 0,
  -- Expansion: the last contact id expanded (contacts in id order), whether the audience is exhausted,
  -- how many messages were made, and the due time of the next one (the pace, kept across batches).
  expand_cursor TEXT NOT NULL DEFAULT '',
  expanded INTEGER NOT NULL DEFAULT 0,
  recipients BIGINT NOT NULL DEFAULT 0,
  next_due_ms BIGINT NOT NULL DEFAULT 0,
  -- On resume, the pending messages get new due times from the pace, in contact id order from here
  -- (NULL: nothing to re-plan); expansion goes on after.
  replan_cursor TEXT,
  -- The run job chain: only jobs carrying the current token act; `run_seen_ms` is its heartbeat.
  run_token TEXT NOT NULL DEFAULT '',
  run_seen_ms BIGINT NOT NULL DEFAULT 0,
  progress TEXT,                             -- the stats last published as campaign.progress
  progress_ms BIGINT NOT NULL DEFAULT 0,
  created_by TEXT NOT NULL,                  -- the user whose send rate the messages count against
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  started_at TEXT,
  finished_at TEXT
);
CREATE INDEX campaigns_workspace ON campaigns (workspace_id, created_at, id);
CREATE INDEX campaigns_active ON campaigns (state) WHERE state IN ('scheduled', 'running');
-- Expansion reads a workspace's contacts in id order.
CREATE INDEX contacts_workspace_id ON contacts (workspace_id, id);

-- The last guard of expansion: one message per contact per campaign, whatever a crash or a race did.
CREATE UNIQUE INDEX messages_campaign_contact ON messages (campaign_id, contact_id) WHERE campaign_id IS NOT NULL;
-- A campaign's stats count its messages by status and email status from the index alone.
CREATE INDEX messages_campaign_stats ON messages (campaign_id, status, email_status) WHERE campaign_id IS NOT NULL;
