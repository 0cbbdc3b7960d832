-- The job queue and the audit log (docs/design.md section 4). Times are UTC text
-- 'YYYY-MM-DD HH:MM:SS.ffffff', always six fractional digits, so text order is time order.

CREATE TABLE schema_migrations (
    version     INTEGER NOT NULL PRIMARY KEY,
    name        TEXT    NOT NULL,
    applied_at  TEXT    NOT NULL
);

CREATE TABLE jobs (
    id                 INTEGER PRIMARY KEY AUTOINCREMENT,  -- never reused: snapshot names carry it
    folder             TEXT    NOT NULL,
    folder_key         TEXT    NOT NULL,  -- hex SHA-256 of folder, as on MySQL
    state              TEXT    NOT NULL
        CHECK (state IN ('queued', 'running', 'succeeded', 'failed', 'cancelled')),
    attempt            INTEGER NOT NULL DEFAULT 0,
    max_attempts       INTEGER NOT NULL,
    lease_owner        TEXT    NULL,
    lease_incarnation  TEXT    NULL,
    lease_expires_at   TEXT    NULL,
    heartbeat_at       TEXT    NULL,
    submitted_at       TEXT    NOT NULL,
    started_at         TEXT    NULL,
    finished_at        TEXT    NULL,
    files_copied       INTEGER NOT NULL DEFAULT 0,
    files_linked       INTEGER NOT NULL DEFAULT 0,
    bytes_copied       INTEGER NOT NULL DEFAULT 0,
    files_total        INTEGER NULL,
    bytes_total        INTEGER NULL,
    snapshot           TEXT    NULL,
    error_code         TEXT    NULL,
    error_message      TEXT    NULL,
    batch_id           TEXT    NULL,
    node               TEXT    NULL,
    client_address     TEXT    NULL
);

-- At most one running job per folder.
CREATE UNIQUE INDEX jobs_one_running_per_folder ON jobs (folder_key) WHERE state = 'running';
CREATE INDEX jobs_claim ON jobs (state, id);
CREATE INDEX jobs_lease_expiry ON jobs (state, lease_expires_at);
CREATE INDEX jobs_folder ON jobs (folder_key, id);
CREATE INDEX jobs_batch ON jobs (batch_id);

CREATE TABLE audit_log (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    at              TEXT    NOT NULL,
    action          TEXT    NOT NULL,
    status          TEXT    NOT NULL,
    folder          TEXT    NULL,
    job_id          INTEGER NULL,
    message         TEXT    NOT NULL DEFAULT '',
    client_address  TEXT    NULL
);

CREATE INDEX audit_log_at ON audit_log (at, id);
CREATE INDEX audit_log_job ON audit_log (job_id);
