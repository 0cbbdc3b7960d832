-- Job counts by kind and state (docs/design.md section 4), kept by every transaction that
-- creates a job or changes its state, so GET /api/v1/stats and /metrics read a few dozen rows
-- instead of every job ever run. Each transaction adds its changes to one of 16 slots; readers
-- sum them. A running job's bytes count from the moment it leaves `running`.
-- Beside them, the whole snapshots per folder (/metrics), kept by a backup's success and a
-- prune choosing a snapshot.
CREATE TABLE job_counts (
    slot          INTEGER NOT NULL,
    kind          TEXT    NOT NULL,
    state         TEXT    NOT NULL,
    jobs          INTEGER NOT NULL,
    bytes_copied  INTEGER NOT NULL,
    PRIMARY KEY (slot, kind, state)
);

INSERT INTO job_counts (slot, kind, state, jobs, bytes_copied)
SELECT 0, kind, state, COUNT(*),
       COALESCE(SUM(CASE WHEN state = 'running' THEN 0 ELSE bytes_copied END), 0)
FROM jobs GROUP BY kind, state;

CREATE TABLE snapshot_counts (
    folder_key  TEXT    NOT NULL PRIMARY KEY,
    folder      TEXT    NOT NULL,
    snapshots   INTEGER NOT NULL
);

INSERT INTO snapshot_counts (folder_key, folder, snapshots)
SELECT folder_key, MIN(folder), COUNT(*) FROM jobs
WHERE kind = 'backup' AND state = 'succeeded' AND snapshot IS NOT NULL AND snapshot_state IS NULL
GROUP BY folder_key;
