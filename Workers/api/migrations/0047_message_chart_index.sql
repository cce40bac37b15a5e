-- The console's delivery chart counts a workspace's sends of the last day by hour and status. Grouping the
-- rows cost half a microsecond each (10,000 sends today: 14 ms a page); with the status before the time in
-- the index each (status, hour) is a range the index counts without reading a row.
DROP INDEX messages_sent_by_workspace;
CREATE INDEX messages_sent_by_workspace ON messages (workspace_id, status, sent_ms) WHERE sent_ms IS NOT NULL;
