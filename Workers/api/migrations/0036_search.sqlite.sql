-- One search box: full-text indexes over community messages, channels, communities and people's names,
-- kept by triggers in the writing transaction (a message is findable the moment it is posted). Each is an
-- external-content FTS5 table (the text stays in its own table; snippets read it from there), ranked by BM25.
-- Prefix indexes for 2-6 letters: FTS5 answers a prefix it has no index for by merging the whole document
-- lists of every word it starts, in memory (18-28 ms for four letters of a word in half a million messages).
CREATE VIRTUAL TABLE community_messages_fts USING fts5 (
  body, content = 'community_messages', content_rowid = 'rowid', tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3 4 5 6'
);
CREATE TRIGGER community_messages_fts_insert AFTER INSERT ON community_messages BEGIN
  INSERT INTO community_messages_fts (rowid, body) VALUES (new.rowid, new.body);
END;
CREATE TRIGGER community_messages_fts_delete AFTER DELETE ON community_messages BEGIN
  INSERT INTO community_messages_fts (community_messages_fts, rowid, body) VALUES ('delete', old.rowid, old.body);
END;
CREATE TRIGGER community_messages_fts_update AFTER UPDATE OF body ON community_messages BEGIN
  INSERT INTO community_messages_fts (community_messages_fts, rowid, body) VALUES ('delete', old.rowid, old.body);
  INSERT INTO community_messages_fts (rowid, body) VALUES (new.rowid, new.body);
END;

CREATE VIRTUAL TABLE community_channels_fts USING fts5 (
  name, topic, content = 'community_channels', content_rowid = 'rowid', tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3'
);
CREATE TRIGGER community_channels_fts_insert AFTER INSERT ON community_channels BEGIN
  INSERT INTO community_channels_fts (rowid, name, topic) VALUES (new.rowid, new.name, new.topic);
END;
CREATE TRIGGER community_channels_fts_delete AFTER DELETE ON community_channels BEGIN
  INSERT INTO community_channels_fts (community_channels_fts, rowid, name, topic) VALUES ('delete', old.rowid, old.name, old.topic);
END;
CREATE TRIGGER community_channels_fts_update AFTER UPDATE OF name, topic ON community_channels BEGIN
  INSERT INTO community_channels_fts (community_channels_fts, rowid, name, topic) VALUES ('delete', old.rowid, old.name, old.topic);
  INSERT INTO community_channels_fts (rowid, name, topic) VALUES (new.rowid, new.name, new.topic);
END;

CREATE VIRTUAL TABLE communities_fts USING fts5 (
  name, description, content = 'communities', content_rowid = 'rowid', tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3'
);
CREATE TRIGGER communities_fts_insert AFTER INSERT ON communities BEGIN
  INSERT INTO communities_fts (rowid, name, description) VALUES (new.rowid, new.name, new.description);
END;
CREATE TRIGGER communities_fts_delete AFTER DELETE ON communities BEGIN
  INSERT INTO communities_fts (communities_fts, rowid, name, description) VALUES ('delete', old.rowid, old.name, old.description);
END;
CREATE TRIGGER communities_fts_update AFTER UPDATE OF name, description ON communities BEGIN
  INSERT INTO communities_fts (communities_fts, rowid, name, description) VALUES ('delete', old.rowid, old.name, old.description);
  INSERT INTO communities_fts (rowid, name, description) VALUES (new.rowid, new.name, new.description);
END;

-- People by name (community members), the name as the account has it (NULL as empty).
CREATE VIRTUAL TABLE users_fts USING fts5 (name, tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3');
INSERT INTO users_fts (rowid, name) SELECT rowid, coalesce(name, '') FROM users;
CREATE TRIGGER users_fts_insert AFTER INSERT ON users BEGIN
  INSERT INTO users_fts (rowid, name) VALUES (new.rowid, coalesce(new.name, ''));
END;
CREATE TRIGGER users_fts_delete AFTER DELETE ON users BEGIN
  DELETE FROM users_fts WHERE rowid = old.rowid;
END;
CREATE TRIGGER users_fts_update AFTER UPDATE OF name ON users BEGIN
  DELETE FROM users_fts WHERE rowid = old.rowid;
  INSERT INTO users_fts (rowid, name) VALUES (new.rowid, coalesce(new.name, ''));
END;

-- Rows written before these indexes (0034 came first).
INSERT INTO community_messages_fts (community_messages_fts) VALUES ('rebuild');
INSERT INTO community_channels_fts (community_channels_fts) VALUES ('rebuild');
INSERT INTO communities_fts (communities_fts) VALUES ('rebuild');
