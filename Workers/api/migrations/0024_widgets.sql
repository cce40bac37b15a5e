-- Chat widgets customers embed on their sites: each has a public key (in the script tag), the origins it
-- may be framed by, how it looks, and an identity secret the customer's server signs `identify` with
-- (sealed like provider credentials; shown once).
CREATE TABLE widgets (
  id TEXT PRIMARY KEY,
  workspace_id TEXT NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  public_key TEXT NOT NULL UNIQUE,
  allowed_origins TEXT NOT NULL,             -- JSON array of origins ("https://shop.example", "https://*.example.com")
  appearance TEXT NOT NULL,                  -- JSON object: color, position, launcher_text, greeting, locale
  identity_secret_sealed TEXT NOT NULL,
  secret_rotated_at TEXT NOT NULL,
  enabled INTEGER NOT NULL DEFAULT 1,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX widgets_workspace ON widgets (workspace_id, id);
