-- The job queue and the audit log (docs/design.md section 4). All times are UTC, DATETIME(6).
-- MySQL commits DDL at once, so each statement is idempotent: a run cut short is completed by
-- the next one.

CREATE TABLE IF NOT EXISTS schema_migrations (
    version     INT          NOT NULL PRIMARY KEY,
    name        VARCHAR(255) NOT NULL,
    applied_at  DATETIME(6)  NOT NULL
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

CREATE TABLE IF NOT EXISTS jobs (
    id                 BIGINT        NOT NULL AUTO_INCREMENT PRIMARY KEY,
    -- The folder as submitted: relative, UTF-8, compared byte for byte like the filesystem does.
    folder             VARCHAR(1024) NOT NULL,
    -- Hex SHA-256 of folder: a folder can be 4 KiB of utf8mb4, too long for an index key.
    folder_key         VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    state              VARCHAR(16) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    attempt            INT           NOT NULL DEFAULT 0,
    max_attempts       INT           NOT NULL,
    lease_owner        VARCHAR(255)  NULL,
    lease_incarnation  VARCHAR(64)   NULL,
    lease_expires_at   DATETIME(6)   NULL,
    heartbeat_at       DATETIME(6)   NULL,
    submitted_at       DATETIME(6)   NOT NULL,
    started_at         DATETIME(6)   NULL,
    finished_at        DATETIME(6)   NULL,
    files_copied       BIGINT        NOT NULL DEFAULT 0,
    files_linked       BIGINT        NOT NULL DEFAULT 0,
    bytes_copied       BIGINT        NOT NULL DEFAULT 0,
    files_total        BIGINT        NULL,
    bytes_total        BIGINT        NULL,
    snapshot           VARCHAR(2048) NULL,
    error_code         VARCHAR(64)   NULL,
    error_message      VARCHAR(2048) NULL,
    batch_id           VARCHAR(64)   NULL,
    node               VARCHAR(255)  NULL,
    client_address     VARCHAR(64)   NULL,
    -- At most one running job per folder, enforced by the database even across nodes:
    -- (VARCHAR, not CHAR: MariaDB refuses a generated column over CHAR, whose value depends on
    -- the PAD_CHAR_TO_FULL_LENGTH sql_mode)
    -- the key is the folder's while the job runs and NULL otherwise (NULLs never collide).
    running_folder_key VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin
        AS (IF(state = 'running', folder_key, NULL)) STORED,
    CONSTRAINT jobs_state_valid
        CHECK (state IN ('queued', 'running', 'succeeded', 'failed', 'cancelled')),
    UNIQUE KEY jobs_one_running_per_folder (running_folder_key),
    KEY jobs_claim (state, id),
    KEY jobs_lease_expiry (state, lease_expires_at),
    KEY jobs_folder (folder_key, id),
    KEY jobs_batch (batch_id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

CREATE TABLE IF NOT EXISTS audit_log (
    id              BIGINT        NOT NULL AUTO_INCREMENT PRIMARY KEY,
    at              DATETIME(6)   NOT NULL,
    action          VARCHAR(32)   NOT NULL,
    status          VARCHAR(16)   NOT NULL,
    folder          VARCHAR(1024) NULL,
    job_id          BIGINT        NULL,
    message         VARCHAR(2048) NOT NULL DEFAULT '',
    client_address  VARCHAR(64)   NULL,
    -- Serves range queries in log order (at, id).
    KEY audit_log_at (at, id),
    KEY audit_log_job (job_id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;
