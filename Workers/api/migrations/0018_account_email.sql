-- Account email: sign-up proves the address before the account can sign in with a password, and a
-- forgotten password is reset through a mailed link. Accounts from before this migration keep working:
-- their addresses count as verified.
ALTER TABLE users ADD COLUMN email_verified_at TEXT;
UPDATE users SET email_verified_at = created_at WHERE email IS NOT NULL;

-- Single-use, expiring tokens mailed to an account's address, stored only as SHA-256 hashes.
CREATE TABLE account_tokens (
  token_hash TEXT PRIMARY KEY,
  purpose TEXT NOT NULL CHECK (purpose IN ('verify_email', 'password_reset')),
  user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  email TEXT NOT NULL,
  -- verify_email from a sign-up: the password chosen then, which becomes the account's only when the
  -- mailbox's owner opens the link (someone who signed up with another's address never sets it).
  password_hash TEXT,
  expires_at TEXT NOT NULL,
  used_at TEXT,
  created_at TEXT NOT NULL
);
CREATE INDEX account_tokens_user ON account_tokens (user_id, purpose, created_at);
