-- Local SEO rank tracking: businesses (a Google place), trackers (a business's keywords over a grid of points
-- around it, on a schedule), and scans (one run of a tracker: each keyword searched at each grid point, the
-- business's rank there, the places seen, and the metrics per keyword when done).
CREATE TABLE seo_businesses (
  id TEXT PRIMARY KEY,
  workspace_id TEXT NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  place_id TEXT,                             -- Google's place id, or
  cid TEXT,                                  -- its customer id (Maps' `cid`): results are matched on either
  latitude DOUBLE PRECISION NOT NULL,
  longitude DOUBLE PRECISION NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX seo_businesses_workspace ON seo_businesses (workspace_id, id);

CREATE TABLE seo_trackers (
  id TEXT PRIMARY KEY,
  workspace_id TEXT NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  business_id TEXT NOT NULL REFERENCES seo_businesses (id) ON DELETE CASCADE,
  keywords TEXT NOT NULL,                    -- JSON array of strings
  grid_size INTEGER NOT NULL,                -- N: an N x N grid centred on the business (N odd)
  spacing DOUBLE PRECISION NOT NULL,         -- between neighbouring points, in `unit`
  unit TEXT NOT NULL CHECK (unit IN ('km', 'mi')),
  zoom INTEGER NOT NULL,                     -- the map zoom each search is made at
  frequency TEXT NOT NULL CHECK (frequency IN ('none', 'daily', 'weekly', 'monthly')),
  schedule_day INTEGER NOT NULL DEFAULT 1,   -- weekly: 0 (Sunday) to 6; monthly: 1 to 28
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX seo_trackers_workspace ON seo_trackers (workspace_id, id);
CREATE INDEX seo_trackers_schedule ON seo_trackers (frequency) WHERE frequency <> 'none';

CREATE TABLE seo_scans (
  id TEXT PRIMARY KEY,
  workspace_id TEXT NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  tracker_id TEXT NOT NULL REFERENCES seo_trackers (id) ON DELETE CASCADE,
  status TEXT NOT NULL CHECK (status IN ('queued', 'running', 'finished', 'failed')),
  trigger TEXT NOT NULL CHECK (trigger IN ('manual', 'scheduled')),
  scheduled_for TEXT,                        -- a scheduled scan's day (one per tracker and day)
  settings TEXT NOT NULL,                    -- JSON: the business and grid as they were when it was made
  searches_used INTEGER NOT NULL DEFAULT 0,  -- provider requests made (its cost)
  error TEXT,
  created_at TEXT NOT NULL,
  started_at TEXT,
  finished_at TEXT
);
CREATE INDEX seo_scans_tracker ON seo_scans (tracker_id, created_at, id);
CREATE INDEX seo_scans_workspace ON seo_scans (workspace_id, id);
CREATE UNIQUE INDEX seo_scans_scheduled ON seo_scans (tracker_id, scheduled_for) WHERE scheduled_for IS NOT NULL;

-- One keyword at one grid point: the business's rank (1-20), or NULL when not found; the places seen.
CREATE TABLE seo_scan_points (
  scan_id TEXT NOT NULL REFERENCES seo_scans (id) ON DELETE CASCADE,
  keyword TEXT NOT NULL,
  row_index INTEGER NOT NULL,
  col_index INTEGER NOT NULL,
  latitude DOUBLE PRECISION NOT NULL,
  longitude DOUBLE PRECISION NOT NULL,
  done INTEGER NOT NULL DEFAULT 0,
  rank INTEGER,
  places TEXT NOT NULL DEFAULT '[]',         -- JSON [{cid, title, position, rating, reviews}], the first 20
  PRIMARY KEY (scan_id, keyword, row_index, col_index)
);

-- A finished scan's metrics per keyword: what trends read.
CREATE TABLE seo_scan_metrics (
  scan_id TEXT NOT NULL REFERENCES seo_scans (id) ON DELETE CASCADE,
  tracker_id TEXT NOT NULL,
  keyword TEXT NOT NULL,
  points INTEGER NOT NULL,
  found INTEGER NOT NULL,
  arp DOUBLE PRECISION,                      -- NULL when found nowhere
  atrp DOUBLE PRECISION NOT NULL,
  solv DOUBLE PRECISION NOT NULL,
  finished_at TEXT NOT NULL,
  PRIMARY KEY (scan_id, keyword)
);
CREATE INDEX seo_scan_metrics_trend ON seo_scan_metrics (tracker_id, keyword, finished_at);
