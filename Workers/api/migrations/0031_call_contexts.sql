-- What the agent is told on an outbound call: context templates with {{variables}} from the contact and
-- the call being followed up. System contexts (kind 'system', one per system_key) are the platform's,
-- made for each workspace on first use: a workspace may turn them off or reorder them, not rewrite them.
-- Rules say when a context applies by itself: the followed-up call's status and direction, how old it
-- may be, how long it may have lasted; among those that apply, the highest priority wins.
CREATE TABLE call_contexts (
  id TEXT PRIMARY KEY,
  workspace_id TEXT NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  kind TEXT NOT NULL,                        -- system | custom
  system_key TEXT,                           -- a system context's name in SystemContexts
  name TEXT NOT NULL,
  description TEXT NOT NULL,
  template TEXT NOT NULL,
  priority INTEGER NOT NULL,
  enabled INTEGER NOT NULL DEFAULT 1,
  rules TEXT NOT NULL,                       -- JSON (ContextRules); {} applies only when chosen by id
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  UNIQUE (workspace_id, system_key)
);
CREATE INDEX call_contexts_workspace ON call_contexts (workspace_id, priority);
