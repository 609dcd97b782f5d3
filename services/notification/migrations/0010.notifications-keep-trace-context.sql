-- depends: 0005.notifications
-- The W3C trace context of the transaction that made a notification (null when tracing is off): its delivery,
-- later and outside any transaction, joins the trace of the event that caused it.
ALTER TABLE notifications ADD COLUMN traceparent text, ADD COLUMN tracestate text;
