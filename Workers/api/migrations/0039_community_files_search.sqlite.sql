-- Deleted files' objects to the garbage; names and descriptions under FTS5 (see 0038).
CREATE TRIGGER community_files_garbage AFTER DELETE ON community_files BEGIN
  INSERT INTO bucket_garbage (key) VALUES (old.bucket_key) ON CONFLICT DO NOTHING;
END;

CREATE VIRTUAL TABLE community_files_fts USING fts5 (
  name, description, content = 'community_files', content_rowid = 'rowid', tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3'
);
CREATE TRIGGER community_files_fts_insert AFTER INSERT ON community_files BEGIN
  INSERT INTO community_files_fts (rowid, name, description) VALUES (new.rowid, new.name, new.description);
END;
CREATE TRIGGER community_files_fts_delete AFTER DELETE ON community_files BEGIN
  INSERT INTO community_files_fts (community_files_fts, rowid, name, description) VALUES ('delete', old.rowid, old.name, old.description);
END;
