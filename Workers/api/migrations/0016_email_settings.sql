-- Each workspace's email provider: the simulated one (no row, or provider 'simulated'), Resend with its
-- API key and webhook signing secret, or the workspace's own SMTP relay. Secrets are sealed like the
-- Twilio auth token (AES-256-GCM under the host's credentials key, base64) and never answered back.
CREATE TABLE email_settings (
  workspace_id TEXT PRIMARY KEY REFERENCES workspaces (id) ON DELETE CASCADE,
  provider TEXT NOT NULL CHECK (provider IN ('simulated', 'resend', 'smtp')),
  default_from TEXT,                         -- "Name <a@verified.example>", used when a send names no sender
  resend_api_key_sealed TEXT,
  resend_webhook_secret_sealed TEXT,         -- whsec_..., checks the Svix signatures of Resend's webhooks
  smtp_host TEXT,
  smtp_port INTEGER,
  smtp_security TEXT CHECK (smtp_security IN ('starttls', 'tls')),
  smtp_username TEXT,
  smtp_password_sealed TEXT,
  updated_at TEXT NOT NULL
);
