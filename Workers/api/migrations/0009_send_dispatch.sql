-- A claimed send is marked dispatched just before its provider call: after a crash, a `sending` message
-- not dispatched was never handed to the provider (safe to send again), one dispatched may have been sent
-- (it goes to review).
ALTER TABLE messages ADD COLUMN dispatched INTEGER NOT NULL DEFAULT 0;
CREATE INDEX messages_sending ON messages (id) WHERE status = 'sending';
