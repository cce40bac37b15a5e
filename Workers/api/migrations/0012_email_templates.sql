-- A template is for one channel. An SMS template keeps its text in `body`; an email template has a
-- subject and HTML and/or text with the same {{variables}} (its `body` is empty, its text derived from
-- the HTML when it has none).
ALTER TABLE templates ADD COLUMN channel TEXT NOT NULL DEFAULT 'sms';
ALTER TABLE templates ADD COLUMN subject TEXT;
ALTER TABLE templates ADD COLUMN html TEXT;
ALTER TABLE templates ADD COLUMN text TEXT;
