-- How hard a render's encoder works (VideoTimeline's RenderQuality): a fast draft, standard, or high.
ALTER TABLE video_renders ADD COLUMN quality TEXT NOT NULL DEFAULT 'standard' CHECK (quality IN ('draft', 'standard', 'high'));
