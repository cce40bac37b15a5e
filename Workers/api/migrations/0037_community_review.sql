-- Review and reputation. A channel may hold posts for approval (`review`): everyone's below moderator, or only
-- new members' (still at level 0). Held posts and flagged messages wait in one queue of submissions, each
-- approved or rejected with a reason. Members earn points (a post 1, a reaction from someone else 1, an
-- approved submission 5), kept up to date in each action's own transaction; levels at point thresholds
-- (`communities.levels`) can grant permissions, as trust levels do.
ALTER TABLE community_channels ADD COLUMN review TEXT NOT NULL DEFAULT 'none' CHECK (review IN ('none', 'new_members', 'everyone'));
ALTER TABLE communities ADD COLUMN levels TEXT NOT NULL DEFAULT '[{"min_points":10,"grants":[]},{"min_points":50,"grants":[]},{"min_points":200,"grants":[]}]';
ALTER TABLE community_members ADD COLUMN points INTEGER NOT NULL DEFAULT 0;

CREATE TABLE community_submissions (
  id TEXT PRIMARY KEY,
  community_id TEXT NOT NULL REFERENCES communities (id) ON DELETE CASCADE,
  channel_id TEXT NOT NULL REFERENCES community_channels (id) ON DELETE CASCADE,
  kind TEXT NOT NULL CHECK (kind IN ('post', 'flag')),
  status TEXT NOT NULL CHECK (status IN ('pending', 'approved', 'rejected')),
  submitted_by TEXT NOT NULL,                -- a post's author, or who flagged
  body TEXT,                                 -- a post's text
  thread_seq BIGINT,                         -- a post's thread
  message_seq BIGINT,                        -- a flag: the message flagged; a post: the message it became when approved
  note TEXT NOT NULL DEFAULT '',             -- why it was flagged
  reason TEXT NOT NULL DEFAULT '',           -- why it was approved or rejected
  decided_by TEXT,
  created_at TEXT NOT NULL,
  decided_at TEXT
);
CREATE INDEX community_submissions_queue ON community_submissions (community_id, status, id);
CREATE INDEX community_submissions_message ON community_submissions (community_id, message_seq) WHERE kind = 'flag';
-- One pending flag per member and message: flagging again changes nothing.
CREATE UNIQUE INDEX community_submissions_flagged ON community_submissions (community_id, message_seq, submitted_by) WHERE kind = 'flag' AND status = 'pending';
