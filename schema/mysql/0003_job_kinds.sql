-- Jobs of three kinds (docs/design.md sections 4 and 6): `backup` makes a snapshot, `restore`
-- copies from one, `verify` checks one against its manifest. A snapshot is the row of the backup
-- job that made it, so what the catalog shows about a snapshot (its manifest, its last verify)
-- lives on that row rather than in a table of its own: one row, one id, nothing to keep in step.
-- Every job that exists before this migration is a backup (the DEFAULT fills them in).
-- IF NOT EXISTS (MariaDB): MySQL commits DDL at once, so a run cut short before the migration
-- was recorded is completed by the next one.
--
-- restore:   snapshot_id, restore_* (set together at submission; NULL on other kinds)
-- verify:    snapshot_id, verify_report (what it found)
-- backup:    manifest_* (set when it succeeds), verify_state/verified_at (set by the finish of
--            the latest verify job of its snapshot; NULL: never verified)
-- Paths, the target and the report are written by the store's path codec
-- (store/src/path_codec.hpp): escaped, one path per line, always valid UTF-8. MEDIUMTEXT, as a
-- list of up to 100 paths of 4 KiB each, escaped, exceeds TEXT's 64 KiB.
-- snapshot_id has no foreign key: a job's record outlives its snapshot's.

ALTER TABLE jobs
    ADD COLUMN IF NOT EXISTS kind VARCHAR(16) CHARACTER SET ascii COLLATE ascii_bin NOT NULL
        DEFAULT 'backup' CHECK (kind IN ('backup', 'restore', 'verify')) AFTER id,
    ADD COLUMN IF NOT EXISTS snapshot_id BIGINT NULL AFTER snapshot,
    ADD COLUMN IF NOT EXISTS restore_paths MEDIUMTEXT NULL,
    ADD COLUMN IF NOT EXISTS restore_target MEDIUMTEXT NULL,
    ADD COLUMN IF NOT EXISTS restore_overwrite VARCHAR(16) CHARACTER SET ascii COLLATE ascii_bin
        NULL CHECK (restore_overwrite IN ('never', 'if-changed', 'always')),
    ADD COLUMN IF NOT EXISTS restore_in_place TINYINT NULL,
    ADD COLUMN IF NOT EXISTS manifest_algorithm VARCHAR(32) CHARACTER SET ascii COLLATE ascii_bin
        NULL,
    ADD COLUMN IF NOT EXISTS manifest_digest VARCHAR(128) CHARACTER SET ascii COLLATE ascii_bin
        NULL,
    ADD COLUMN IF NOT EXISTS verify_state VARCHAR(8) CHARACTER SET ascii COLLATE ascii_bin NULL
        CHECK (verify_state IN ('ok', 'failed')),
    ADD COLUMN IF NOT EXISTS verified_at DATETIME(6) NULL,
    ADD COLUMN IF NOT EXISTS verify_report MEDIUMTEXT NULL;

-- Listing jobs of one kind, newest first (GET /api/v1/jobs?kind=restore): without it a rare kind
-- is found by walking every backup. The snapshot list (kind 'backup', state 'succeeded') walks it
-- too, or jobs_claim (state, id), or jobs_folder (folder_key, id) for one folder.
CREATE INDEX IF NOT EXISTS jobs_kind ON jobs (kind, id);
