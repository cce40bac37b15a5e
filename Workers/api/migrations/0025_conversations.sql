-- Conversations: a thread between a workspace's team and one person, begun in the chat widget. Visitors are
-- the widget's sessions: the iframe holds a random token (only its hash is here), linked to a contact once a
-- signed identify names them.
CREATE TABLE widget_visitors (
  id TEXT PRIMARY KEY,
  workspace_id TEXT NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  widget_id TEXT NOT NULL,
  token_hash TEXT NOT NULL UNIQUE,           -- SHA-256 of the session token, hex
  contact_id TEXT,                           -- set by a signed identify, never by an unsigned one
  external_user_id TEXT,                     -- the customer's user id, from a signed identify
  name TEXT,
  email TEXT,                                -- as the visitor or a signed identify gave it
  created_at TEXT NOT NULL,
  seen_at TEXT NOT NULL
);
CREATE INDEX widget_visitors_workspace ON widget_visitors (workspace_id, id);

CREATE TABLE conversations (
  id TEXT PRIMARY KEY,
  workspace_id TEXT NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  channel TEXT NOT NULL DEFAULT 'widget',
  widget_id TEXT,
  visitor_id TEXT,
  contact_id TEXT,
  status TEXT NOT NULL CHECK (status IN ('open', 'pending', 'resolved')),
  assignee_id TEXT,
  last_seq BIGINT NOT NULL DEFAULT 0,        -- the seq of its latest message
  last_message_at TEXT NOT NULL,
  last_message_preview TEXT NOT NULL DEFAULT '',
  agent_unread INTEGER NOT NULL DEFAULT 0,   -- visitor messages after agent_read_seq
  agent_read_seq BIGINT NOT NULL DEFAULT 0,
  visitor_read_seq BIGINT NOT NULL DEFAULT 0,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX conversations_inbox ON conversations (workspace_id, last_message_at, id);
CREATE INDEX conversations_visitor ON conversations (visitor_id, status);
CREATE INDEX conversations_contact ON conversations (contact_id) WHERE contact_id IS NOT NULL;

-- Each message has its conversation's next seq (taken by bumping conversations.last_seq in the same
-- transaction), so a reader resuming "after seq N" misses nothing and sees nothing twice.
CREATE TABLE conversation_messages (
  id TEXT PRIMARY KEY,
  conversation_id TEXT NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
  workspace_id TEXT NOT NULL,
  seq BIGINT NOT NULL,
  sender TEXT NOT NULL CHECK (sender IN ('visitor', 'agent', 'system')),
  author_id TEXT,                            -- the agent who wrote it
  body TEXT NOT NULL,
  created_at TEXT NOT NULL,
  UNIQUE (conversation_id, seq)
);
