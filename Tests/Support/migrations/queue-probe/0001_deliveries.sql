CREATE TABLE deliveries (
  n INTEGER NOT NULL,
  run INTEGER NOT NULL,
  attempts INTEGER NOT NULL,
  lateness_ms INTEGER NOT NULL,
  message_id TEXT NOT NULL
);
