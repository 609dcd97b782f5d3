-- The relay is woken in its own process when a pooled connection that wrote rows is released, and polls
-- slowly for the rest; a NOTIFY at every commit took a lock that serialised all the database's commits.
DROP TRIGGER IF EXISTS outbox_inserted ON outbox;
DROP FUNCTION IF EXISTS outbox_notify();
