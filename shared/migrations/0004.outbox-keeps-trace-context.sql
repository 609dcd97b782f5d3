-- The W3C trace context of the transaction that wrote the row (null when tracing is off), sent with the
-- event in the Kafka record's headers so that the services acting on it continue the same trace.
ALTER TABLE outbox ADD COLUMN traceparent text, ADD COLUMN tracestate text;
