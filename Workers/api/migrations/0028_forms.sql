-- Forms customers embed on their sites (the form-embed worker serves them by public key). A form's
-- definition (fields, settings, workflow) is versioned: every change writes a new row of form_versions,
-- and every submission keeps the version it answered.
CREATE TABLE forms (
  id TEXT PRIMARY KEY,
  workspace_id TEXT NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  public_key TEXT NOT NULL UNIQUE,
  version INTEGER NOT NULL,                  -- the current one, in form_versions
  enabled INTEGER NOT NULL DEFAULT 1,
  created_by TEXT NOT NULL,                  -- the member whose workflow actions run in the form's name
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX forms_workspace ON forms (workspace_id, id);

CREATE TABLE form_versions (
  form_id TEXT NOT NULL REFERENCES forms (id) ON DELETE CASCADE,
  version INTEGER NOT NULL,
  definition TEXT NOT NULL,                  -- JSON: fields, settings, workflow
  created_by TEXT NOT NULL,
  created_at TEXT NOT NULL,
  PRIMARY KEY (form_id, version)
);

-- One row per accepted submission. token_hash is the submission token's hash: a second submit of the same
-- token finds it taken and creates nothing.
CREATE TABLE form_submissions (
  id TEXT PRIMARY KEY,
  workspace_id TEXT NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  form_id TEXT NOT NULL REFERENCES forms (id) ON DELETE CASCADE,
  version INTEGER NOT NULL,
  token_hash TEXT NOT NULL UNIQUE,
  answers TEXT NOT NULL,                     -- JSON object: field key -> value, as validated
  contact_id TEXT,                           -- the contact it created or updated (none without an email or phone)
  consents TEXT NOT NULL,                    -- JSON array: {channel, wording, given_at} of each consent box ticked
  referrer TEXT NOT NULL,
  utm TEXT NOT NULL,                         -- JSON object of the page's utm_* parameters
  ip_hash TEXT NOT NULL,
  created_at TEXT NOT NULL
);
CREATE INDEX form_submissions_form ON form_submissions (workspace_id, form_id, created_at, id);
CREATE INDEX form_submissions_contact ON form_submissions (workspace_id, contact_id);

-- The workflow's actions for one submission, in order: pending until a job claims one (running), then
-- done, failed or skipped (a condition that did not hold). A failed action can be re-run by hand; one left
-- running by a crash is failed by the sweep, not run again, since it may have happened.
CREATE TABLE form_action_runs (
  submission_id TEXT NOT NULL REFERENCES form_submissions (id) ON DELETE CASCADE,
  position INTEGER NOT NULL,
  workspace_id TEXT NOT NULL,
  action TEXT NOT NULL,                      -- JSON: the action as the submission's version states it
  status TEXT NOT NULL CHECK (status IN ('pending', 'running', 'done', 'failed', 'skipped')),
  attempts INTEGER NOT NULL DEFAULT 0,
  result TEXT,                               -- JSON: what it made (message ids, ...)
  error TEXT,
  updated_at TEXT NOT NULL,
  PRIMARY KEY (submission_id, position)
);
CREATE INDEX form_action_runs_pending ON form_action_runs (status, updated_at);

-- Views (the form rendered), starts (a visitor began to fill it) and submissions per form per UTC day;
-- spam counts what was dropped silently (honeypot, filled too fast).
CREATE TABLE form_daily_stats (
  form_id TEXT NOT NULL REFERENCES forms (id) ON DELETE CASCADE,
  day TEXT NOT NULL,
  views INTEGER NOT NULL DEFAULT 0,
  starts INTEGER NOT NULL DEFAULT 0,
  submissions INTEGER NOT NULL DEFAULT 0,
  spam INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (form_id, day)
);
