-- Clients (browsers, apps) that have signed in to an account: their `ozzi_client` cookie's id, stored as
-- SHA-256. Such a client is not held back by sign-in failures elsewhere (see SignInGuard).
CREATE TABLE known_clients (
  user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  client_hash TEXT NOT NULL,
  first_seen_at TEXT NOT NULL,
  last_seen_at TEXT NOT NULL,
  PRIMARY KEY (user_id, client_hash)
);
