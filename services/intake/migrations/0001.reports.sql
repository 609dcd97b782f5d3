-- depends: 0001.outbox-and-inbox

CREATE TABLE reports (
    report_id         uuid PRIMARY KEY,
    received_at       timestamptz NOT NULL,
    division_code     text,
    address           text,
    concerns          text[]      NOT NULL,
    immediate_danger  boolean     NOT NULL,
    mandatory_report  boolean     NOT NULL,
    narrative         text        NOT NULL,
    child             jsonb       NOT NULL
);
