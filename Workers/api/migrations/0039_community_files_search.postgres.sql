-- Deleted files' objects to the garbage; names and descriptions as a tsvector under GIN (see 0038).
-- A file name's words: "q3-report_final.pdf" is q3, report, final, pdf.
ALTER TABLE community_files ADD COLUMN search tsvector GENERATED ALWAYS AS (
  setweight(to_tsvector('simple', regexp_replace(name, '[-_.]+', ' ', 'g')), 'A') || setweight(to_tsvector('simple', description), 'B')) STORED;
CREATE INDEX community_files_search ON community_files USING gin (search);
CREATE FUNCTION community_files_garbage() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO bucket_garbage (key) VALUES (OLD.bucket_key) ON CONFLICT DO NOTHING;
  RETURN OLD;
END
$$;
CREATE TRIGGER community_files_garbage AFTER DELETE ON community_files FOR EACH ROW EXECUTE FUNCTION community_files_garbage();
