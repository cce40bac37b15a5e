-- One search box: generated tsvector columns under GIN indexes over community messages, channels,
-- communities and people's names, written with the row (a message is findable the moment it is posted).
ALTER TABLE community_messages ADD COLUMN search tsvector GENERATED ALWAYS AS (to_tsvector('simple', body)) STORED;
CREATE INDEX community_messages_search ON community_messages USING gin (search);
ALTER TABLE community_channels ADD COLUMN search tsvector GENERATED ALWAYS AS (
  setweight(to_tsvector('simple', regexp_replace(name, '[-_]+', ' ', 'g')), 'A') || setweight(to_tsvector('simple', topic), 'B')) STORED;
CREATE INDEX community_channels_search ON community_channels USING gin (search);
ALTER TABLE communities ADD COLUMN search tsvector GENERATED ALWAYS AS (
  setweight(to_tsvector('simple', name), 'A') || setweight(to_tsvector('simple', description), 'B')) STORED;
CREATE INDEX communities_search ON communities USING gin (search);
ALTER TABLE users ADD COLUMN search tsvector GENERATED ALWAYS AS (to_tsvector('simple', coalesce(name, ''))) STORED;
CREATE INDEX users_search ON users USING gin (search);
