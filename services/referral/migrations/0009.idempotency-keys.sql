-- depends: 0008.resolver-evidence
-- A station's phone may send an action again when it did not hear the answer: each action sent with an
-- Idempotency-Key is kept with the request it was for and the answer it got, written in the action's own
-- transaction, so that the same request again gets the same answer and changes nothing.

CREATE TABLE idempotency_keys (
    caller        text NOT NULL,         -- the caller's subject, or role:scope without one
    key           text NOT NULL,
    request_hash  text NOT NULL,         -- of the path and the body
    status        integer,               -- null until the action has answered
    body          json,                  -- as answered, key order kept
    created_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (caller, key)
);

CREATE INDEX idempotency_keys_by_age ON idempotency_keys (created_at);
