-- Outbound call campaigns: the voice agent calls an audience of contacts with a context, within a calling
-- window in each contact's local time, at most `calls_per_second` calls a second and `max_concurrent` at
-- once, calling again after busy or no-answer up to `max_attempts`. The lifecycle is the messaging
-- campaigns' (CampaignMachine); each contact's progress is a target row.
CREATE TABLE call_campaigns (
  id TEXT PRIMARY KEY,
  workspace_id TEXT NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  number_id TEXT NOT NULL,                   -- the voice number that calls
  context_id TEXT,                           -- a call context rendered for each contact, or
  context TEXT,                              -- the same words for everyone
  audience TEXT NOT NULL,                    -- JSON (CampaignAudience)
  calling_window TEXT NOT NULL,              -- JSON (BusinessHours): its time_zone is the default; a contact's time_zone field wins
  calls_per_second INTEGER NOT NULL,
  max_concurrent INTEGER NOT NULL,
  max_attempts INTEGER NOT NULL,
  retry_delay_seconds INTEGER NOT NULL,
  state TEXT NOT NULL,
  state_reason TEXT,
  send_at TEXT,
  send_at_ms BIGINT,
  expand_cursor TEXT NOT NULL DEFAULT '',
  expanded INTEGER NOT NULL DEFAULT 0,
  run_token TEXT NOT NULL,                   -- only the run chain holding it acts
  run_seen_ms BIGINT NOT NULL DEFAULT 0,
  next_place_ms BIGINT NOT NULL DEFAULT 0,   -- the placing slot: calls start only after it, and its holder moves it on
  created_by TEXT NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  started_at TEXT,
  finished_at TEXT
);
CREATE INDEX call_campaigns_workspace ON call_campaigns (workspace_id, created_at, id);

CREATE TABLE call_campaign_targets (
  campaign_id TEXT NOT NULL REFERENCES call_campaigns (id) ON DELETE CASCADE,
  contact_id TEXT NOT NULL,
  workspace_id TEXT NOT NULL,
  phone TEXT NOT NULL,
  time_zone TEXT,                            -- the contact's, when it has a valid one
  status TEXT NOT NULL,                      -- waiting | calling | completed | failed | cancelled
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_ms BIGINT NOT NULL,           -- a waiting target's earliest call (window and retry delay applied)
  call_id TEXT,                              -- the last call placed
  last_call_status TEXT,
  error TEXT,
  updated_at TEXT NOT NULL,
  PRIMARY KEY (campaign_id, contact_id)
);
CREATE INDEX call_campaign_targets_due ON call_campaign_targets (campaign_id, status, next_attempt_ms);
