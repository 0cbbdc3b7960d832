-- Job counts by kind and state (docs/design.md section 4), kept by every transaction that
-- creates a job or changes its state, so GET /api/v1/stats and /metrics read a few dozen rows
-- instead of every job ever run. Each transaction adds its changes to one of 16 slots; readers
-- sum them. A running job's bytes count from the moment it leaves `running`.
-- Beside them, the whole snapshots per folder (/metrics), kept by a backup's success and a
-- prune choosing a snapshot.
-- MySQL commits DDL at once: a run cut short before the migration was recorded is completed by
-- the next one, which counts again from scratch.
CREATE TABLE IF NOT EXISTS job_counts (
    slot          SMALLINT    NOT NULL,
    kind          VARCHAR(16) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    state         VARCHAR(16) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    jobs          BIGINT      NOT NULL,
    bytes_copied  BIGINT      NOT NULL,
    PRIMARY KEY (slot, kind, state)
) ENGINE = InnoDB;

DELETE FROM job_counts;

INSERT INTO job_counts (slot, kind, state, jobs, bytes_copied)
SELECT 0, kind, state, COUNT(*),
       COALESCE(SUM(CASE WHEN state = 'running' THEN 0 ELSE bytes_copied END), 0)
FROM jobs GROUP BY kind, state;

CREATE TABLE IF NOT EXISTS snapshot_counts (
    folder_key  VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL PRIMARY KEY,
    folder      VARCHAR(1024) NOT NULL,
    snapshots   BIGINT      NOT NULL
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

DELETE FROM snapshot_counts;

INSERT INTO snapshot_counts (folder_key, folder, snapshots)
SELECT folder_key, MIN(folder), COUNT(*) FROM jobs
WHERE kind = 'backup' AND state = 'succeeded' AND snapshot IS NOT NULL AND snapshot_state IS NULL
GROUP BY folder_key;
