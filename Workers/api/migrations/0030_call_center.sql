-- The call center: what the team judges a call by (a class, a rating, an AI review), what it cost, and
-- the daily totals the dashboard reads instead of scanning every call.
ALTER TABLE calls ADD COLUMN classification TEXT;        -- one of CallClass; the review's, or a person's
ALTER TABLE calls ADD COLUMN classified_by TEXT;         -- 'review', or the member who chose it (the review then leaves it)
ALTER TABLE calls ADD COLUMN rating INTEGER;             -- 1-5 stars, by people
ALTER TABLE calls ADD COLUMN rated_by TEXT;
ALTER TABLE calls ADD COLUMN review_status TEXT;         -- pending | done | failed, once the call has ended
ALTER TABLE calls ADD COLUMN price_micros BIGINT;        -- what the provider charged, in millionths of price_unit (positive)
ALTER TABLE calls ADD COLUMN price_unit TEXT;
ALTER TABLE calls ADD COLUMN has_recording INTEGER NOT NULL DEFAULT 0;
-- The history pages newest first by (started_at, id): each filter that narrows much has an index in that order.
CREATE INDEX calls_started ON calls (workspace_id, started_at, id);
CREATE INDEX calls_status ON calls (workspace_id, status, started_at, id);
CREATE INDEX calls_classification ON calls (workspace_id, classification, started_at, id);
CREATE INDEX calls_number ON calls (workspace_id, number_id, started_at, id);
CREATE INDEX calls_live ON calls (workspace_id, ended_at);

-- The AI review of an ended call (one per call, replaced when re-run). A person's corrections are kept
-- beside the review's own answer, so a re-run never overwrites what a person decided.
CREATE TABLE call_reviews (
  call_id TEXT PRIMARY KEY REFERENCES calls (id) ON DELETE CASCADE,
  workspace_id TEXT NOT NULL,
  summary TEXT NOT NULL,
  classification TEXT NOT NULL,
  score INTEGER NOT NULL,                    -- 0-100: how well the agent handled the call
  sentiment TEXT NOT NULL,                   -- positive | neutral | negative (the caller's)
  success INTEGER NOT NULL,                  -- the number's rubric met (1) or not (0)
  success_reason TEXT NOT NULL,
  recommendations TEXT NOT NULL,             -- JSON array of strings
  rubric TEXT NOT NULL,                      -- the rubric the review was judged against
  model TEXT NOT NULL,                       -- the model that wrote it
  overrides TEXT NOT NULL DEFAULT '{}',      -- JSON: fields a person corrected, with who and when
  reviewed_at TEXT NOT NULL
);

-- Ended calls per workspace and UTC day, one row a day with a column per final status and per class, so a
-- year of dashboard is 366 rows however many calls: kept in the same transaction as every change to an
-- ended call (its status, duration, class or price), which moves the call's share from the old columns to
-- the new (CallDailyStats).
CREATE TABLE call_daily_stats (
  workspace_id TEXT NOT NULL,
  day TEXT NOT NULL,                         -- YYYY-MM-DD (UTC) of the call's start
  calls BIGINT NOT NULL DEFAULT 0,
  duration_seconds BIGINT NOT NULL DEFAULT 0,
  completed_duration_seconds BIGINT NOT NULL DEFAULT 0,
  price_micros BIGINT NOT NULL DEFAULT 0,
  status_completed BIGINT NOT NULL DEFAULT 0,
  status_busy BIGINT NOT NULL DEFAULT 0,
  status_no_answer BIGINT NOT NULL DEFAULT 0,
  status_failed BIGINT NOT NULL DEFAULT 0,
  status_canceled BIGINT NOT NULL DEFAULT 0,
  class_sales_inquiry BIGINT NOT NULL DEFAULT 0,
  class_support_request BIGINT NOT NULL DEFAULT 0,
  class_billing BIGINT NOT NULL DEFAULT 0,
  class_complaint BIGINT NOT NULL DEFAULT 0,
  class_appointment BIGINT NOT NULL DEFAULT 0,
  class_follow_up_required BIGINT NOT NULL DEFAULT 0,
  class_spam BIGINT NOT NULL DEFAULT 0,
  class_general_inquiry BIGINT NOT NULL DEFAULT 0,
  class_resolved BIGINT NOT NULL DEFAULT 0,
  class_unclassified BIGINT NOT NULL DEFAULT 0,
  PRIMARY KEY (workspace_id, day)
);
