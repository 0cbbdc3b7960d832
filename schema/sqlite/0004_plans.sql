-- Plans (docs/design.md section "Plans"): a folder backed up on a schedule, with retention; and
-- the columns that let jobs belong to a plan and snapshots be pinned and pruned.
--
-- jobs is rebuilt rather than altered: its kind CHECK gains 'prune', and SQLite cannot change
-- a CHECK constraint in place (https://www.sqlite.org/lang_altertable.html, "making other kinds
-- of table schema changes"). Rows, ids and the AUTOINCREMENT high-water mark are kept, so ids
-- are still never reused. Migrations run in one transaction on SQLite: all or nothing.

CREATE TABLE plans (
    name          TEXT    NOT NULL PRIMARY KEY,  -- [a-z0-9][a-z0-9-]{0,63}
    folder        TEXT    NOT NULL,              -- as jobs.folder
    folder_key    TEXT    NOT NULL,              -- as jobs.folder_key: finds its snapshots
    schedule      TEXT    NOT NULL,              -- as given (core::Schedule::parse)
    time_zone     TEXT    NOT NULL,              -- IANA name
    keep_last     INTEGER NULL,                  -- retention rules; NULL: rule not set
    keep_hourly   INTEGER NULL,
    keep_daily    INTEGER NULL,
    keep_weekly   INTEGER NULL,
    keep_monthly  INTEGER NULL,
    keep_yearly   INTEGER NULL,
    keep_within   TEXT    NULL,                  -- a duration as given ("48h")
    enabled       INTEGER NOT NULL,              -- 0 or 1
    created_at    TEXT    NOT NULL,
    updated_at    TEXT    NOT NULL,
    -- The next due time not yet fired; NULL while disabled. Firing is a compare-and-set on it.
    next_run_at   TEXT    NULL,
    runs_skipped  INTEGER NOT NULL DEFAULT 0    -- due times skipped: the previous run unfinished
);

-- The scheduler's scan: enabled plans due by now, oldest due first.
CREATE INDEX plans_due ON plans (enabled, next_run_at);

CREATE TABLE jobs_rebuilt (
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
    client_address     TEXT    NULL,
    run_after          TEXT    NULL,
    kind               TEXT    NOT NULL DEFAULT 'backup'
        CHECK (kind IN ('backup', 'restore', 'verify', 'prune')),
    snapshot_id        INTEGER NULL,
    restore_paths      TEXT    NULL,
    restore_target     TEXT    NULL,
    restore_overwrite  TEXT    NULL CHECK (restore_overwrite IN ('never', 'if-changed', 'always')),
    restore_in_place   INTEGER NULL,
    manifest_algorithm TEXT    NULL,
    manifest_digest    TEXT    NULL,
    verify_state       TEXT    NULL CHECK (verify_state IN ('ok', 'failed')),
    verified_at        TEXT    NULL,
    verify_report      TEXT    NULL,
    -- A backup a plan fired or ran by hand, or a prune for a plan: the plan's name (no foreign
    -- key: a job's record outlives its plan). A fired run: the due time it stands for.
    plan               TEXT    NULL,
    scheduled_for      TEXT    NULL,
    -- A backup: its snapshot is never pruned (0 or 1).
    pinned             INTEGER NOT NULL DEFAULT 0,
    -- A backup: NULL while its snapshot is whole; 'pruning' from the moment a prune job chose
    -- it (the catalog no longer shows it); 'pruned' once its files are gone, at pruned_at.
    snapshot_state     TEXT    NULL CHECK (snapshot_state IN ('pruning', 'pruned')),
    pruned_at          TEXT    NULL,
    -- A prune job, once succeeded: snapshots removed, and snapshots of the folder kept.
    prune_removed      INTEGER NULL,
    prune_kept         INTEGER NULL
);

INSERT INTO jobs_rebuilt (id, folder, folder_key, state, attempt, max_attempts, lease_owner,
    lease_incarnation, lease_expires_at, heartbeat_at, submitted_at, started_at, finished_at,
    files_copied, files_linked, bytes_copied, files_total, bytes_total, snapshot, error_code,
    error_message, batch_id, node, client_address, run_after, kind, snapshot_id, restore_paths,
    restore_target, restore_overwrite, restore_in_place, manifest_algorithm, manifest_digest,
    verify_state, verified_at, verify_report)
SELECT id, folder, folder_key, state, attempt, max_attempts, lease_owner, lease_incarnation,
    lease_expires_at, heartbeat_at, submitted_at, started_at, finished_at, files_copied,
    files_linked, bytes_copied, files_total, bytes_total, snapshot, error_code, error_message,
    batch_id, node, client_address, run_after, kind, snapshot_id, restore_paths, restore_target,
    restore_overwrite, restore_in_place, manifest_algorithm, manifest_digest, verify_state,
    verified_at, verify_report
FROM jobs;

-- The old table's high-water mark carries over (the largest id ever handed out, which may
-- exceed the largest id still present).
DELETE FROM sqlite_sequence WHERE name = 'jobs_rebuilt';
INSERT INTO sqlite_sequence (name, seq) SELECT 'jobs_rebuilt', seq FROM sqlite_sequence
    WHERE name = 'jobs';

DROP TABLE jobs;
ALTER TABLE jobs_rebuilt RENAME TO jobs;

-- The indexes of migrations 1 to 3, as they were.
CREATE UNIQUE INDEX jobs_one_running_per_folder ON jobs (folder_key) WHERE state = 'running';
CREATE INDEX jobs_claim ON jobs (state, id);
CREATE INDEX jobs_lease_expiry ON jobs (state, lease_expires_at);
CREATE INDEX jobs_batch ON jobs (batch_id);
CREATE INDEX jobs_kind ON jobs (kind, id);
-- Listing by folder, and the catalog's reads of one folder's snapshots. snapshot_state is not
-- in it: the listing walks newest first by id and stops at a page, and pruned snapshots are
-- the oldest, so it meets them, if at all, at the end; a column before id would break that
-- order.
CREATE INDEX jobs_folder ON jobs (folder_key, id);

-- Each (plan, due time) is at most one job, whichever daemon fired it. Runs by hand have
-- scheduled_for NULL, and NULLs never collide.
CREATE UNIQUE INDEX jobs_plan_due ON jobs (plan, scheduled_for);
-- A plan's jobs newest first (the jobs filter, its last run).
CREATE INDEX jobs_plan ON jobs (plan, id);
