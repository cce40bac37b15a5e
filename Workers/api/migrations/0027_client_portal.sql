-- The client portal: a workspace's customers sign in to see what the workspace holds about them. Portal
-- users are not users: they belong to one workspace, are linked to one contact, and sign in with tokens of
-- their own (EdDSA JWTs under portal_signing_keys) that the workspace API never accepts.
CREATE TABLE portal_settings (
  workspace_id TEXT PRIMARY KEY REFERENCES workspaces (id) ON DELETE CASCADE,
  enabled INTEGER NOT NULL DEFAULT 0,
  self_signup INTEGER NOT NULL DEFAULT 0,    -- anyone may sign up (their address confirmed by email)
  updated_at TEXT NOT NULL
);

CREATE TABLE portal_users (
  id TEXT PRIMARY KEY,
  workspace_id TEXT NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  contact_id TEXT,                           -- a self sign-up is linked once its address is confirmed
  email TEXT NOT NULL,
  password_hash TEXT,                        -- set when the invitation or sign-up link is used
  status TEXT NOT NULL CHECK (status IN ('invited', 'active', 'disabled')),
  created_at TEXT NOT NULL,
  activated_at TEXT,
  last_sign_in_at TEXT,
  UNIQUE (workspace_id, email)
);
CREATE INDEX portal_users_contact ON portal_users (workspace_id, contact_id);

-- The one-time links of invitations, self sign-ups and password resets (only the token's hash is kept).
CREATE TABLE portal_links (
  token_hash TEXT PRIMARY KEY,
  portal_user_id TEXT NOT NULL REFERENCES portal_users (id) ON DELETE CASCADE,
  purpose TEXT NOT NULL CHECK (purpose IN ('invitation', 'signup', 'reset')),
  message_id TEXT,                           -- the email that carried it
  expires_at TEXT NOT NULL,
  used_at TEXT,
  created_at TEXT NOT NULL
);
CREATE INDEX portal_links_user ON portal_links (portal_user_id);
CREATE INDEX portal_links_expiry ON portal_links (expires_at);

-- A signed-in device: refresh tokens rotate within it; a spent one presented again revokes it.
CREATE TABLE portal_sessions (
  id TEXT PRIMARY KEY,
  workspace_id TEXT NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  portal_user_id TEXT NOT NULL REFERENCES portal_users (id) ON DELETE CASCADE,
  expires_at TEXT NOT NULL,
  revoked_at TEXT,
  created_at TEXT NOT NULL
);
CREATE INDEX portal_sessions_user ON portal_sessions (portal_user_id);
CREATE INDEX portal_sessions_expiry ON portal_sessions (expires_at);

CREATE TABLE portal_refresh_tokens (
  token_hash TEXT PRIMARY KEY,
  session_id TEXT NOT NULL REFERENCES portal_sessions (id) ON DELETE CASCADE,
  used_at TEXT,
  created_at TEXT NOT NULL
);
CREATE INDEX portal_refresh_tokens_session ON portal_refresh_tokens (session_id);

-- The keys portal tokens are signed with: the current one signs; retired ones verify until what they signed
-- expired. `slot` is 'current' for the signing key and NULL once retired: unique, so hosts rotating at the
-- same moment make one new key between them.
CREATE TABLE portal_signing_keys (
  kid TEXT PRIMARY KEY,
  slot TEXT UNIQUE,
  seed_sealed TEXT NOT NULL,                 -- the Ed25519 seed, AES-256-GCM under the host's credentials key
  public_key TEXT NOT NULL,                  -- base64url, a JWK's x
  created_at TEXT NOT NULL,
  created_ms BIGINT NOT NULL,
  retired_ms BIGINT                          -- when a newer key took over signing
);

-- Data protection: what a person asked to have erased, and how long the workspace keeps conversations.
CREATE TABLE erasure_requests (
  id TEXT PRIMARY KEY,
  workspace_id TEXT NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  contact_id TEXT NOT NULL,
  email TEXT NOT NULL,
  portal_user_id TEXT,
  status TEXT NOT NULL CHECK (status IN ('pending', 'completed')),
  requested_at TEXT NOT NULL,
  completed_at TEXT,
  completed_by TEXT,
  erased TEXT                                -- JSON: what completing it removed, by kind
);
CREATE INDEX erasure_requests_workspace ON erasure_requests (workspace_id, status, id);
CREATE UNIQUE INDEX erasure_requests_one_pending ON erasure_requests (workspace_id, contact_id) WHERE status = 'pending';

CREATE TABLE retention_policies (
  workspace_id TEXT PRIMARY KEY REFERENCES workspaces (id) ON DELETE CASCADE,
  days INTEGER NOT NULL,                     -- messages and conversations older than this go
  updated_at TEXT NOT NULL,
  last_run_at TEXT
);
