-- A deleted asset's or render's objects go to the bucket garbage (see 0038), cascades included.
CREATE TRIGGER video_assets_garbage AFTER DELETE ON video_assets BEGIN
  INSERT INTO bucket_garbage (key) VALUES (old.bucket_key) ON CONFLICT DO NOTHING;
END;
CREATE TRIGGER video_renders_garbage AFTER DELETE ON video_renders BEGIN
  INSERT INTO bucket_garbage (key) VALUES (old.output_key) ON CONFLICT DO NOTHING;
  INSERT INTO bucket_garbage (key) VALUES (old.poster_key) ON CONFLICT DO NOTHING;
END;
