-- Email is a second channel of the messaging engine: an email is a `messages` row (the engine's claim,
-- attempts, retries and review work the same) whose content lives in `email_contents`. A transactional
-- email has a content row of its own; a campaign's or a series' recipients share one, so 100,000
-- recipients do not copy the body 100,000 times.
ALTER TABLE messages ADD COLUMN channel TEXT NOT NULL DEFAULT 'sms';
ALTER TABLE messages ADD COLUMN content_id TEXT;
ALTER TABLE messages ADD COLUMN campaign_id TEXT;
ALTER TABLE messages ADD COLUMN series_id TEXT;
-- The variables given with the send (JSON object), filled besides the contact's fields.
ALTER TABLE messages ADD COLUMN variables TEXT;
-- Email only: how far it went after `sent` (delivered, delivery_delayed, opened, clicked, bounced,
-- complained); forward-only like `status`.
ALTER TABLE messages ADD COLUMN email_status TEXT;
CREATE INDEX messages_campaign_id ON messages (campaign_id, status) WHERE campaign_id IS NOT NULL;
CREATE INDEX messages_series ON messages (series_id) WHERE series_id IS NOT NULL;

CREATE TABLE email_contents (
  id TEXT PRIMARY KEY,
  workspace_id TEXT NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  from_address TEXT NOT NULL,                -- "Name <a@verified.example>"
  reply_to TEXT,
  template_id TEXT,                          -- an email template, or the parts below
  subject TEXT,
  html TEXT,
  text TEXT,
  tags TEXT NOT NULL DEFAULT '[]',           -- [{"name","value"}]
  track_opens INTEGER NOT NULL DEFAULT 0,
  track_clicks INTEGER NOT NULL DEFAULT 0,
  list_unsubscribe INTEGER NOT NULL DEFAULT 0, -- campaign mail carries List-Unsubscribe (RFC 8058)
  created_at TEXT NOT NULL
);
CREATE INDEX email_contents_workspace ON email_contents (workspace_id);

-- Email consent, kept like SMS consent: unsubscribes, hard bounces and complaints move it to opted_out.
ALTER TABLE contacts ADD COLUMN email_consent TEXT NOT NULL DEFAULT 'unknown';
ALTER TABLE contacts ADD COLUMN email_consent_at TEXT;
ALTER TABLE contacts ADD COLUMN email_consent_method TEXT;
