-- A deleted asset's or render's objects go to the bucket garbage (see 0038), cascades included.
CREATE FUNCTION video_assets_garbage() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO bucket_garbage (key) VALUES (OLD.bucket_key) ON CONFLICT DO NOTHING;
  RETURN OLD;
END
$$;
CREATE TRIGGER video_assets_garbage AFTER DELETE ON video_assets FOR EACH ROW EXECUTE FUNCTION video_assets_garbage();
CREATE FUNCTION video_renders_garbage() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO bucket_garbage (key) VALUES (OLD.output_key), (OLD.poster_key) ON CONFLICT DO NOTHING;
  RETURN OLD;
END
$$;
CREATE TRIGGER video_renders_garbage AFTER DELETE ON video_renders FOR EACH ROW EXECUTE FUNCTION video_renders_garbage();
