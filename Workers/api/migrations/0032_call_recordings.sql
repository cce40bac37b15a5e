-- Recordings of calls, one row per recording Twilio reported (RecordingSid): `pending` while its audio is
-- being copied into the FILES bucket, then `stored` (served from there), or `absent` (Twilio had nothing:
-- too short or silent) or `failed` (Twilio's recording failed, or its audio could not be fetched after the
-- last attempt). A call's `has_recording` is set when one is stored.
CREATE TABLE call_recordings (
  recording_sid TEXT PRIMARY KEY,
  call_id TEXT NOT NULL REFERENCES calls (id) ON DELETE CASCADE,
  workspace_id TEXT NOT NULL,
  account_sid TEXT NOT NULL,
  status TEXT NOT NULL,                      -- pending | stored | absent | failed
  source_url TEXT NOT NULL,                  -- Twilio's RecordingUrl, without an extension
  duration_seconds INTEGER,
  object_key TEXT,                           -- the audio in FILES, once stored
  content_type TEXT,
  size_bytes BIGINT,
  attempts INTEGER NOT NULL DEFAULT 0,       -- fetches tried (a repeated callback gives no new ones)
  queued_at TEXT,                            -- when the fetch was queued (once; maintenance queues it again if lost)
  error TEXT,                                -- why the audio is not stored
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX call_recordings_call ON call_recordings (call_id, created_at);
CREATE INDEX call_recordings_pending ON call_recordings (status, updated_at);
