-- `messages_claimed` (claimed_by) WHERE status = 'sending' holds the same rows as `messages_sending`, and
-- serves every query of sending messages (by host, or all of them); each claim and each record wrote both.
DROP INDEX messages_sending;
