-- Phone numbers the voice agent answers, and the calls it took or placed. A number's settings (greeting,
-- voices, prompt, knowledge, menu, business hours, where a human takes over) are one JSON object: the
-- voice-agent worker reads them whole at the start of each call.
CREATE TABLE voice_numbers (
  id TEXT PRIMARY KEY,
  workspace_id TEXT NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  phone_number TEXT NOT NULL UNIQUE,         -- E.164: Twilio's `To` finds the number
  name TEXT NOT NULL,
  settings TEXT NOT NULL,                    -- JSON (VoiceSettings)
  enabled INTEGER NOT NULL DEFAULT 1,
  source TEXT NOT NULL DEFAULT 'manual',     -- manual | twilio | simulated: where the number came from (a sync)
  provider_sid TEXT,                         -- Twilio's PN... sid, for a synced number
  released_at TEXT,                          -- a synced number the account no longer has (disabled then)
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX voice_numbers_workspace ON voice_numbers (workspace_id, id);

-- One row per call, keyed by Twilio's CallSid (a repeated webhook finds the call it made).
CREATE TABLE calls (
  id TEXT PRIMARY KEY,
  workspace_id TEXT NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  number_id TEXT,                            -- the voice number (kept when the number is deleted)
  call_sid TEXT NOT NULL UNIQUE,
  account_sid TEXT NOT NULL,
  direction TEXT NOT NULL,                   -- inbound | outbound
  from_number TEXT NOT NULL,
  to_number TEXT NOT NULL,
  contact_id TEXT,                           -- the caller's (or callee's) contact, when one matched
  status TEXT NOT NULL,                      -- Twilio's CallStatus, last reported
  context TEXT NOT NULL,                     -- JSON: an outbound call's context and variables for the agent
  after_hours INTEGER NOT NULL DEFAULT 0,
  started_at TEXT NOT NULL,
  answered_at TEXT,
  ended_at TEXT,
  duration_seconds INTEGER,
  interruptions INTEGER NOT NULL DEFAULT 0,
  session_status TEXT,                       -- ConversationRelay's SessionStatus at the Connect action
  handoff_reason TEXT,
  handoff_data TEXT,                         -- the handoffData string the agent ended the session with
  callback_requested_at TEXT,                -- when the caller asked to be called back (schedule_callback)
  callback_note TEXT,
  placed_by TEXT,                            -- the member who called from the browser
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX calls_workspace ON calls (workspace_id, id);
CREATE INDEX calls_contact ON calls (workspace_id, contact_id);

-- A call's status timeline as Twilio reported it (a repeated callback with the same sequence is one row).
CREATE TABLE call_events (
  call_id TEXT NOT NULL REFERENCES calls (id) ON DELETE CASCADE,
  seq INTEGER NOT NULL,
  workspace_id TEXT NOT NULL,
  status TEXT NOT NULL,
  sequence_number INTEGER,                   -- Twilio's SequenceNumber, when given
  at TEXT NOT NULL,
  PRIMARY KEY (call_id, seq)
);

-- What was said: the caller's prompts, the agent's answers (cut to what the caller heard when interrupted)
-- and the agent's tool calls with their results, in order.
CREATE TABLE call_turns (
  call_id TEXT NOT NULL REFERENCES calls (id) ON DELETE CASCADE,
  seq INTEGER NOT NULL,
  workspace_id TEXT NOT NULL,
  role TEXT NOT NULL CHECK (role IN ('caller', 'agent', 'tool')),
  text TEXT NOT NULL,
  interrupted INTEGER NOT NULL DEFAULT 0,
  tool TEXT,                                 -- JSON {name, arguments, result} for a tool turn
  at TEXT NOT NULL,
  PRIMARY KEY (call_id, seq)
);

-- Calling from the browser with Twilio's Voice SDK: the workspace's Twilio API key (its secret sealed like the
-- auth token) signs short-lived access tokens, and its TwiML app's voice URL is our /voice/browser.
CREATE TABLE voice_settings (
  workspace_id TEXT PRIMARY KEY REFERENCES workspaces (id) ON DELETE CASCADE,
  api_key_sid TEXT NOT NULL,
  api_key_secret_sealed TEXT NOT NULL,
  twiml_app_sid TEXT NOT NULL UNIQUE,
  updated_at TEXT NOT NULL
);
