-- One row per run of the api worker's maintenance sweep (the `* * * * *` cron).
CREATE TABLE sweep_runs (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  cron TEXT NOT NULL,
  scheduled_time INTEGER NOT NULL,
  started_at TEXT NOT NULL,
  finished_at TEXT NOT NULL,
  expired_kv_keys INTEGER NOT NULL
);
CREATE INDEX sweep_runs_started ON sweep_runs (started_at);
