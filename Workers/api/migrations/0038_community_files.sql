-- Files members attach to community messages: uploaded first (only the uploader sees an unposted one, and
-- one left unposted a day is swept), then posted with a message, or held with a submission until it is
-- decided. The bytes are in the FILES bucket; names and descriptions are searchable.
CREATE TABLE community_files (
  id TEXT PRIMARY KEY,
  community_id TEXT NOT NULL REFERENCES communities (id) ON DELETE CASCADE,
  channel_id TEXT NOT NULL REFERENCES community_channels (id) ON DELETE CASCADE,
  message_seq BIGINT,                        -- the message it was posted with; NULL until then
  submission_id TEXT,                        -- the held post it waits with
  uploaded_by TEXT NOT NULL,
  name TEXT NOT NULL,
  content_type TEXT NOT NULL,
  size BIGINT NOT NULL,
  etag TEXT NOT NULL,
  description TEXT NOT NULL DEFAULT '',      -- what the uploader said it is (alt text, a caption)
  bucket_key TEXT NOT NULL,
  created_at TEXT NOT NULL
);
CREATE INDEX community_files_message ON community_files (community_id, message_seq);
CREATE INDEX community_files_unposted ON community_files (created_at) WHERE message_seq IS NULL;
ALTER TABLE community_submissions ADD COLUMN file_ids TEXT NOT NULL DEFAULT '[]';

-- Bucket objects whose rows are gone (a message deleted, a channel or community with everything in it):
-- the maintenance pass deletes them from the bucket, which no transaction can do. A trigger on each table
-- whose rows name objects fills it (0039), so a cascade fills it too.
CREATE TABLE bucket_garbage (key TEXT PRIMARY KEY);
