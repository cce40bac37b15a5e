-- Video (issue 23). Assets are uploaded media (video, audio, still images) whose bytes are in the FILES
-- bucket, which the video-render worker binds too; ffprobe's findings are kept with each. A project is
-- one JSON document (tracks, clips, keyframes, captions: VideoTimeline's VideoProject), versioned for
-- If-Match. A render is the project as it stood when asked, queued, rendered by video-render (which
-- reports progress, the render's heartbeat, and the outcome), with its MP4 and poster in the bucket.
CREATE TABLE video_assets (
  id TEXT PRIMARY KEY,
  workspace_id TEXT NOT NULL,
  name TEXT NOT NULL,
  kind TEXT NOT NULL,                        -- video | audio | image
  content_type TEXT NOT NULL,
  size BIGINT NOT NULL,
  duration DOUBLE PRECISION,                 -- seconds; NULL for an image
  width INTEGER,
  height INTEGER,
  has_video INTEGER NOT NULL,
  has_audio INTEGER NOT NULL,
  bucket_key TEXT NOT NULL,
  created_by TEXT,
  created_at TEXT NOT NULL
);
CREATE INDEX video_assets_workspace ON video_assets (workspace_id, id);

CREATE TABLE video_projects (
  id TEXT PRIMARY KEY,
  workspace_id TEXT NOT NULL,
  name TEXT NOT NULL,
  document TEXT NOT NULL,
  version BIGINT NOT NULL DEFAULT 1,
  created_by TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX video_projects_workspace ON video_projects (workspace_id, id);

CREATE TABLE video_renders (
  id TEXT PRIMARY KEY,
  workspace_id TEXT NOT NULL,
  project_id TEXT NOT NULL REFERENCES video_projects (id) ON DELETE CASCADE,
  project_version BIGINT NOT NULL,
  document TEXT NOT NULL,                    -- the project as rendered, with each asset's bucket key
  status TEXT NOT NULL,                      -- queued | rendering | succeeded | failed | cancelled
  progress DOUBLE PRECISION NOT NULL DEFAULT 0,
  error_code TEXT,
  error_message TEXT,
  output_key TEXT NOT NULL,
  poster_key TEXT NOT NULL,
  output_size BIGINT,
  duration DOUBLE PRECISION,
  width INTEGER,
  height INTEGER,
  heartbeat_ms BIGINT NOT NULL,              -- the last word from video-render (or the last dispatch)
  attempts INTEGER NOT NULL DEFAULT 0,
  created_by TEXT,
  created_at TEXT NOT NULL,
  started_at TEXT,
  finished_at TEXT
);
CREATE INDEX video_renders_project ON video_renders (workspace_id, project_id, id);
CREATE INDEX video_renders_live ON video_renders (heartbeat_ms) WHERE status IN ('queued', 'rendering');
