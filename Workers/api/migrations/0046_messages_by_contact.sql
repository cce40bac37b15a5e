-- A contact's messages, for its history (the console's contact page, GET /contacts/:id/history) and the
-- privacy export: without it each read scanned the workspace's messages (30 ms at 100,000).
CREATE INDEX messages_contact ON messages (workspace_id, contact_id, created_at);
