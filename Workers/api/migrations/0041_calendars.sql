-- Calendars: every member's built-in calendar (their time zone and working hours with it), events on it
-- (timed in a zone, or all-day; recurring by an RRULE), and the exceptions of a recurring event (one
-- occurrence moved, changed or cancelled, keyed by the local start the rule gave it).
CREATE TABLE calendars (
  id TEXT PRIMARY KEY,
  workspace_id TEXT NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  owner_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  color TEXT,
  source TEXT NOT NULL CHECK (source IN ('builtin', 'google')),
  time_zone TEXT NOT NULL,                   -- the owner's: new events default to it, working hours are in it
  work_days TEXT NOT NULL,                   -- RFC 5545 weekday codes, e.g. MO,TU,WE,TH,FR
  work_start INTEGER NOT NULL,               -- minutes after local midnight
  work_end INTEGER NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX calendars_owner ON calendars (workspace_id, owner_id);
CREATE UNIQUE INDEX calendars_builtin ON calendars (workspace_id, owner_id) WHERE source = 'builtin';

CREATE TABLE calendar_events (
  id TEXT PRIMARY KEY,
  workspace_id TEXT NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  calendar_id TEXT NOT NULL REFERENCES calendars (id) ON DELETE CASCADE,
  title TEXT NOT NULL,
  description TEXT,
  location TEXT,
  all_day INTEGER NOT NULL,
  starts TEXT NOT NULL,                      -- local: 2026-12-03T09:00:00, or a date when all-day
  ends TEXT NOT NULL,                        -- local, the same form (an all-day end is the day after the last)
  time_zone TEXT,                            -- a timed event's zone; NULL when all-day (dates float)
  rrule TEXT,                                -- RFC 5545, canonical (EventRecurrence.text)
  busy INTEGER NOT NULL,                     -- counts against free/busy (timed events by default; all-day not)
  visibility TEXT NOT NULL CHECK (visibility IN ('default', 'private')),
  attendees TEXT NOT NULL,                   -- JSON [{email, name?, response_status}]
  range_start_ms BIGINT NOT NULL,            -- the earliest any occurrence may start (UTC; all-day: a day's widest zone)
  range_end_ms BIGINT,                       -- the latest any may end; NULL while the series never ends
  version INTEGER NOT NULL,                  -- the etag: bumped by every change
  created_by TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX calendar_events_range ON calendar_events (calendar_id, range_start_ms);
CREATE INDEX calendar_events_workspace ON calendar_events (workspace_id, range_start_ms);

CREATE TABLE calendar_event_exceptions (
  event_id TEXT NOT NULL REFERENCES calendar_events (id) ON DELETE CASCADE,
  original_start TEXT NOT NULL,              -- the occurrence's local start as the rule makes it
  cancelled INTEGER NOT NULL,
  title TEXT,                                -- what differs from the series (NULL: as the series)
  description TEXT,
  location TEXT,
  starts TEXT,                               -- moved: its new local start and end
  ends TEXT,
  PRIMARY KEY (event_id, original_start)
);
