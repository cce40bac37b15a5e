-- messages_campaign_stats (campaign_id, status, email_status) serves every query messages_campaign_id
-- (campaign_id, status) did, from its leading columns; the second index only cost each status change of
-- a campaign's message one more index write.
DROP INDEX messages_campaign_id;
