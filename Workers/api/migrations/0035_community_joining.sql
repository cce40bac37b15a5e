-- Joining a community that is not open: requests a moderator approves or rejects, and invitations — to one
-- address (single use, by email) or as a link with an expiry, a number of uses and the role it gives.
CREATE TABLE community_join_requests (
  id TEXT PRIMARY KEY,
  community_id TEXT NOT NULL REFERENCES communities (id) ON DELETE CASCADE,
  user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  message TEXT NOT NULL DEFAULT '',
  status TEXT NOT NULL CHECK (status IN ('pending', 'approved', 'rejected')),
  reason TEXT NOT NULL DEFAULT '',
  decided_by TEXT,
  created_at TEXT NOT NULL,
  decided_at TEXT
);
CREATE UNIQUE INDEX community_join_requests_pending ON community_join_requests (community_id, user_id) WHERE status = 'pending';
CREATE INDEX community_join_requests_community ON community_join_requests (community_id, status, created_at, id);

CREATE TABLE community_invitations (
  id TEXT PRIMARY KEY,
  community_id TEXT NOT NULL REFERENCES communities (id) ON DELETE CASCADE,
  token_hash TEXT NOT NULL UNIQUE,           -- SHA-256 of the code, hex: the code itself is shown once
  email TEXT,                                -- an invitation to one address; NULL for a link anyone may use
  role TEXT NOT NULL CHECK (role IN ('admin', 'moderator', 'member')),
  max_uses INTEGER,                          -- NULL: no limit
  uses INTEGER NOT NULL DEFAULT 0,
  expires_at_ms BIGINT,                      -- NULL: never
  created_by TEXT NOT NULL,
  created_at TEXT NOT NULL,
  revoked_at TEXT
);
CREATE INDEX community_invitations_community ON community_invitations (community_id, created_at, id);

-- Discovery's "most active": messages of the last week, counted by time.
CREATE INDEX community_messages_created ON community_messages (community_id, created_at);
