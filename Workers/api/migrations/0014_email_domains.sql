-- Sending domains: the DNS records a workspace publishes for each (SPF, DKIM, DMARC, MX), what the last
-- check found, and the DKIM private key when we sign (simulated provider, SMTP relays).
CREATE TABLE email_domains (
  id TEXT PRIMARY KEY,
  workspace_id TEXT NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  provider TEXT NOT NULL,                    -- whose records these are: simulated | smtp | resend
  provider_domain_id TEXT,                   -- the provider's id for the domain (Resend's)
  status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'verified', 'failed')),
  records TEXT NOT NULL,                     -- JSON array of DomainRecord, each with its last check
  dkim_selector TEXT,
  dkim_key_sealed TEXT,                      -- PKCS#8 PEM, sealed under the credentials key
  checked_at TEXT,
  verified_at TEXT,
  next_check_ms BIGINT NOT NULL,             -- when the daily re-check is due
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  UNIQUE (workspace_id, name)
);
CREATE INDEX email_domains_next_check ON email_domains (next_check_ms);
