-- The console's voice testing lab talks to the agent in text over ConversationRelay: each conversation is a
-- call's record (its transcript, tools and review as any call's), flagged, so the call center's totals leave
-- it out and the maintenance sweep can end one whose browser went away.
ALTER TABLE calls ADD COLUMN lab INTEGER NOT NULL DEFAULT 0;
CREATE INDEX calls_open_lab ON calls (updated_at) WHERE lab = 1 AND ended_at IS NULL;
