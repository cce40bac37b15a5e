-- A visitor has one conversation: two first messages at once (a double click, two tabs) must not make two.
-- The unique index is what holds on PostgreSQL, where the check before the insert does not serialize them;
-- it also serves every lookup the (visitor_id, status) index served.
CREATE UNIQUE INDEX conversations_one_per_visitor ON conversations (visitor_id) WHERE visitor_id IS NOT NULL;
DROP INDEX conversations_visitor;
