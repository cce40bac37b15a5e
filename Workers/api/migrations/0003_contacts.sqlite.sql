-- The address book: contacts with full-text search, groups, message templates, and CSV imports.
CREATE TABLE contacts (
  id TEXT NOT NULL UNIQUE,
  workspace_id TEXT NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  name TEXT NOT NULL DEFAULT '',
  first_name TEXT NOT NULL DEFAULT '',
  last_name TEXT NOT NULL DEFAULT '',
  phone TEXT NOT NULL,                       -- E.164
  phone_search TEXT NOT NULL DEFAULT '',     -- digits with and without the country code, for search
  email TEXT,
  notes TEXT NOT NULL DEFAULT '',
  custom_fields TEXT NOT NULL DEFAULT '{}',  -- a JSON object of user-defined keys
  source TEXT NOT NULL CHECK (source IN ('api', 'import', 'form', 'widget', 'voice', 'sms')),
  sms_consent TEXT NOT NULL DEFAULT 'unknown' CHECK (sms_consent IN ('unknown', 'opted_in', 'opted_out')),
  sms_consent_at TEXT,
  sms_consent_method TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  UNIQUE (workspace_id, phone)
);
-- Sorted lists page by (column, rowid); every index ends in the rowid implicitly, so the keys stay short
-- (an import writes each of these indexes once per row).
CREATE INDEX contacts_created ON contacts (workspace_id, created_at);
CREATE INDEX contacts_updated ON contacts (workspace_id, updated_at);
CREATE INDEX contacts_name ON contacts (workspace_id, name);

-- Search over name, email, phone digits, notes and custom field values; rowid = contacts.rowid.
-- detail=column: no term positions (no phrase queries needed), a much smaller index to write.
CREATE VIRTUAL TABLE contacts_fts USING fts5 (
  name, email, phone_digits, notes, custom_values,
  tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3 4', detail = column
);

CREATE TRIGGER contacts_fts_insert AFTER INSERT ON contacts BEGIN
  INSERT INTO contacts_fts (rowid, name, email, phone_digits, notes, custom_values)
  VALUES (new.rowid, new.name, coalesce(new.email, ''), new.phone_search, new.notes,
          (SELECT coalesce(group_concat(value, ' '), '') FROM json_each(new.custom_fields)));
END;
CREATE TRIGGER contacts_fts_delete AFTER DELETE ON contacts BEGIN
  DELETE FROM contacts_fts WHERE rowid = old.rowid;
END;
CREATE TRIGGER contacts_fts_update AFTER UPDATE OF name, email, phone_search, notes, custom_fields ON contacts BEGIN
  DELETE FROM contacts_fts WHERE rowid = old.rowid;
  INSERT INTO contacts_fts (rowid, name, email, phone_digits, notes, custom_values)
  VALUES (new.rowid, new.name, coalesce(new.email, ''), new.phone_search, new.notes,
          (SELECT coalesce(group_concat(value, ' '), '') FROM json_each(new.custom_fields)));
END;

CREATE TABLE groups (
  id TEXT PRIMARY KEY,
  workspace_id TEXT NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  description TEXT NOT NULL DEFAULT '',
  color TEXT NOT NULL DEFAULT '#6b7280',
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  UNIQUE (workspace_id, name)
);
CREATE INDEX groups_workspace ON groups (workspace_id, name);

CREATE TABLE group_members (
  group_id TEXT NOT NULL REFERENCES groups (id) ON DELETE CASCADE,
  contact_id TEXT NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,
  added_at TEXT NOT NULL,
  PRIMARY KEY (group_id, contact_id)
) WITHOUT ROWID;
CREATE INDEX group_members_contact ON group_members (contact_id);

CREATE TABLE templates (
  id TEXT PRIMARY KEY,
  workspace_id TEXT NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  category TEXT NOT NULL DEFAULT 'general',
  body TEXT NOT NULL,
  usage_count INTEGER NOT NULL DEFAULT 0,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  UNIQUE (workspace_id, name)
);

CREATE TABLE contact_imports (
  id TEXT PRIMARY KEY,
  workspace_id TEXT NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  status TEXT NOT NULL CHECK (status IN ('running', 'completed', 'failed')),
  on_duplicate TEXT NOT NULL CHECK (on_duplicate IN ('update', 'skip')),
  mapping TEXT NOT NULL,
  object_key TEXT NOT NULL,
  rows INTEGER NOT NULL DEFAULT 0,
  created INTEGER NOT NULL DEFAULT 0,
  updated INTEGER NOT NULL DEFAULT 0,
  skipped INTEGER NOT NULL DEFAULT 0,
  error TEXT,
  created_by TEXT NOT NULL,
  created_at TEXT NOT NULL,
  finished_at TEXT
);

CREATE TABLE contact_import_rejections (
  import_id TEXT NOT NULL REFERENCES contact_imports (id) ON DELETE CASCADE,
  line INTEGER NOT NULL,
  reason TEXT NOT NULL,
  PRIMARY KEY (import_id, line)
) WITHOUT ROWID;
