-- The contacts that opted out, per workspace and channel: a campaign's `unsubscribed` count starts from
-- them (few) and finds their message of the campaign by messages_campaign_contact, rather than looking up
-- the contact of each of the campaign's messages.
CREATE INDEX contacts_email_opted_out ON contacts (workspace_id, id) WHERE email_consent = 'opted_out';
CREATE INDEX contacts_sms_opted_out ON contacts (workspace_id, id) WHERE sms_consent = 'opted_out';
