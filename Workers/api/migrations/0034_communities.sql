-- Communities: channels of live messages among a workspace's customers or members, with roles, moderation
-- and an audit log. Members are accounts (users): a community may hold people outside the workspace.
CREATE TABLE communities (
  id TEXT PRIMARY KEY,
  workspace_id TEXT NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  slug TEXT NOT NULL UNIQUE,                 -- unique across the platform: discovery lists communities of every workspace
  description TEXT NOT NULL DEFAULT '',
  visibility TEXT NOT NULL CHECK (visibility IN ('public', 'private', 'hidden')),
  join_policy TEXT NOT NULL CHECK (join_policy IN ('open', 'request', 'invitation')),
  role_permissions TEXT NOT NULL,            -- JSON {"admin": [...], "moderator": [...], "member": [...]}; the owner has all
  edit_window_seconds INTEGER NOT NULL,
  last_seq BIGINT NOT NULL DEFAULT 0,        -- the seq of its latest live change (a message's id is the seq of its posting)
  member_count INTEGER NOT NULL DEFAULT 0,
  created_by TEXT NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX communities_workspace ON communities (workspace_id, created_at, id);

CREATE TABLE community_members (
  community_id TEXT NOT NULL REFERENCES communities (id) ON DELETE CASCADE,
  user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  role TEXT NOT NULL CHECK (role IN ('owner', 'admin', 'moderator', 'member')),
  timed_out_until_ms BIGINT,                 -- may read, not post or react, until then
  joined_at TEXT NOT NULL,
  PRIMARY KEY (community_id, user_id)
);
CREATE INDEX community_members_user ON community_members (user_id, community_id);
CREATE INDEX community_members_timed_out ON community_members (timed_out_until_ms) WHERE timed_out_until_ms IS NOT NULL;

-- A ban removes the member and keeps them out until `until_ms` (NULL: for good).
CREATE TABLE community_bans (
  community_id TEXT NOT NULL REFERENCES communities (id) ON DELETE CASCADE,
  user_id TEXT NOT NULL,
  until_ms BIGINT,
  reason TEXT NOT NULL DEFAULT '',
  banned_by TEXT NOT NULL,
  created_at TEXT NOT NULL,
  PRIMARY KEY (community_id, user_id)
);
CREATE INDEX community_bans_until ON community_bans (until_ms) WHERE until_ms IS NOT NULL;

CREATE TABLE community_channels (
  id TEXT PRIMARY KEY,
  community_id TEXT NOT NULL REFERENCES communities (id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  topic TEXT NOT NULL DEFAULT '',
  private INTEGER NOT NULL DEFAULT 0,        -- only its listed members (and those who manage channels) see it
  overrides TEXT NOT NULL DEFAULT '{}',      -- JSON {role: {permission: true|false}} over the community's role permissions
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  UNIQUE (community_id, name)
);

CREATE TABLE community_channel_members (
  channel_id TEXT NOT NULL REFERENCES community_channels (id) ON DELETE CASCADE,
  user_id TEXT NOT NULL,
  added_at TEXT NOT NULL,
  PRIMARY KEY (channel_id, user_id)
);
CREATE INDEX community_channel_members_user ON community_channel_members (user_id);

-- A message's id is its seq: the community's next, taken by bumping communities.last_seq in the posting
-- transaction, so ids are in commit order and a reader resuming after an id misses nothing.
CREATE TABLE community_messages (
  community_id TEXT NOT NULL REFERENCES communities (id) ON DELETE CASCADE,
  seq BIGINT NOT NULL,
  channel_id TEXT NOT NULL REFERENCES community_channels (id) ON DELETE CASCADE,
  thread_seq BIGINT,                         -- a reply: the id of its thread's first message
  author_id TEXT NOT NULL,
  body TEXT NOT NULL,
  mentions TEXT NOT NULL DEFAULT '[]',       -- JSON array of the user ids it mentions
  reply_count INTEGER NOT NULL DEFAULT 0,
  last_reply_at TEXT,
  edited_at TEXT,
  deleted_at TEXT,                           -- a deleted message keeps its row (threads and replays refer to it), not its body
  created_at TEXT NOT NULL,
  PRIMARY KEY (community_id, seq)
);
CREATE INDEX community_messages_channel ON community_messages (channel_id, seq) WHERE thread_seq IS NULL AND deleted_at IS NULL;
CREATE INDEX community_messages_thread ON community_messages (community_id, thread_seq, seq) WHERE thread_seq IS NOT NULL AND deleted_at IS NULL;

CREATE TABLE community_message_edits (
  community_id TEXT NOT NULL,
  seq BIGINT NOT NULL,
  body TEXT NOT NULL,                        -- the text before the edit
  replaced_at TEXT NOT NULL,
  FOREIGN KEY (community_id, seq) REFERENCES community_messages (community_id, seq) ON DELETE CASCADE
);
CREATE INDEX community_message_edits_message ON community_message_edits (community_id, seq);

CREATE TABLE community_reactions (
  community_id TEXT NOT NULL,
  seq BIGINT NOT NULL,
  user_id TEXT NOT NULL,
  emoji TEXT NOT NULL,
  created_at TEXT NOT NULL,
  PRIMARY KEY (community_id, seq, emoji, user_id),
  FOREIGN KEY (community_id, seq) REFERENCES community_messages (community_id, seq) ON DELETE CASCADE
);

CREATE TABLE community_mentions (
  community_id TEXT NOT NULL,
  user_id TEXT NOT NULL,
  channel_id TEXT NOT NULL,
  seq BIGINT NOT NULL,
  PRIMARY KEY (community_id, user_id, seq),
  FOREIGN KEY (community_id, seq) REFERENCES community_messages (community_id, seq) ON DELETE CASCADE
);

-- Where each member has read each channel to: unread counts are the channel's live top-level messages after it.
CREATE TABLE community_reads (
  channel_id TEXT NOT NULL REFERENCES community_channels (id) ON DELETE CASCADE,
  user_id TEXT NOT NULL,
  last_read_seq BIGINT NOT NULL,
  PRIMARY KEY (channel_id, user_id)
);

-- Every live change in seq order (posted, edited, deleted, reacted; channel and member changes), kept a
-- week: a socket that reconnects gets those after its last seq it may see.
CREATE TABLE community_events (
  community_id TEXT NOT NULL REFERENCES communities (id) ON DELETE CASCADE,
  seq BIGINT NOT NULL,
  channel_id TEXT,                           -- NULL: the whole community's
  type TEXT NOT NULL,
  data TEXT NOT NULL,
  created_at TEXT NOT NULL,
  PRIMARY KEY (community_id, seq)
);
CREATE INDEX community_events_created ON community_events (created_at);

CREATE TABLE community_audit_log (
  id TEXT PRIMARY KEY,
  community_id TEXT NOT NULL REFERENCES communities (id) ON DELETE CASCADE,
  actor_id TEXT NOT NULL,
  action TEXT NOT NULL,
  target_user_id TEXT,
  target_message_id BIGINT,
  target_channel_id TEXT,
  reason TEXT NOT NULL DEFAULT '',
  details TEXT NOT NULL DEFAULT '{}',
  created_at TEXT NOT NULL
);
CREATE INDEX community_audit_log_community ON community_audit_log (community_id, created_at, id);
