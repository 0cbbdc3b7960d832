-- Plans (docs/design.md section "Plans"): a folder backed up on a schedule, with retention; and
-- the columns that let jobs belong to a plan and snapshots be pinned and pruned.
-- IF NOT EXISTS (MariaDB) and MODIFY: MySQL commits DDL at once, so each statement is
-- idempotent and a run cut short before the migration was recorded is completed by the next.

CREATE TABLE IF NOT EXISTS plans (
    name          VARCHAR(64)   NOT NULL PRIMARY KEY,  -- [a-z0-9][a-z0-9-]{0,63}
    folder        VARCHAR(1024) NOT NULL,              -- as jobs.folder
    folder_key    VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,  -- finds snapshots
    schedule      VARCHAR(255)  NOT NULL,              -- as given (core::Schedule::parse)
    time_zone     VARCHAR(64)   NOT NULL,              -- IANA name
    keep_last     BIGINT        NULL,                  -- retention rules; NULL: rule not set
    keep_hourly   BIGINT        NULL,
    keep_daily    BIGINT        NULL,
    keep_weekly   BIGINT        NULL,
    keep_monthly  BIGINT        NULL,
    keep_yearly   BIGINT        NULL,
    keep_within   VARCHAR(32)   NULL,                  -- a duration as given ("48h")
    enabled       TINYINT       NOT NULL,
    created_at    DATETIME(6)   NOT NULL,
    updated_at    DATETIME(6)   NOT NULL,
    -- The next due time not yet fired; NULL while disabled. Firing is a compare-and-set on it.
    next_run_at   DATETIME(6)   NULL,
    runs_skipped  BIGINT        NOT NULL DEFAULT 0,    -- due times skipped: previous run unfinished
    -- The scheduler's scan: enabled plans due by now, oldest due first.
    KEY plans_due (enabled, next_run_at)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

-- Prune jobs: a plan's retention, or one snapshot deleted.
ALTER TABLE jobs MODIFY COLUMN kind VARCHAR(16) CHARACTER SET ascii COLLATE ascii_bin NOT NULL
    DEFAULT 'backup' CHECK (kind IN ('backup', 'restore', 'verify', 'prune'));

-- plan, scheduled_for: a backup a plan fired or ran by hand, or a prune for a plan: the plan's
--   name (no foreign key: a job's record outlives its plan); a fired run: the due time it
--   stands for.
-- pinned: a backup whose snapshot is never pruned.
-- snapshot_state: a backup: NULL while its snapshot is whole; 'pruning' from the moment a prune
--   job chose it (the catalog no longer shows it); 'pruned' once its files are gone, at
--   pruned_at.
-- prune_removed, prune_kept: a prune job, once succeeded: snapshots removed, and kept.
ALTER TABLE jobs
    ADD COLUMN IF NOT EXISTS plan VARCHAR(64) NULL,
    ADD COLUMN IF NOT EXISTS scheduled_for DATETIME(6) NULL,
    ADD COLUMN IF NOT EXISTS pinned TINYINT NOT NULL DEFAULT 0,
    ADD COLUMN IF NOT EXISTS snapshot_state VARCHAR(8) CHARACTER SET ascii COLLATE ascii_bin NULL
        CHECK (snapshot_state IN ('pruning', 'pruned')),
    ADD COLUMN IF NOT EXISTS pruned_at DATETIME(6) NULL,
    ADD COLUMN IF NOT EXISTS prune_removed BIGINT NULL,
    ADD COLUMN IF NOT EXISTS prune_kept BIGINT NULL;

-- Each (plan, due time) is at most one job, whichever daemon fired it. Runs by hand have
-- scheduled_for NULL, and NULLs never collide.
CREATE UNIQUE INDEX IF NOT EXISTS jobs_plan_due ON jobs (plan, scheduled_for);
-- A plan's jobs newest first (the jobs filter, its last run).
CREATE INDEX IF NOT EXISTS jobs_plan ON jobs (plan, id);
-- jobs_folder (folder_key, id) keeps serving the catalog's reads of one folder. snapshot_state
-- is not in it: the listing walks newest first by id and stops at a page, and pruned snapshots
-- are the oldest, so it meets them, if at all, at the end; a column before id would break that
-- order.
