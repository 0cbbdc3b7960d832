-- Jobs of three kinds (docs/design.md sections 4 and 6): `backup` makes a snapshot, `restore`
-- copies from one, `verify` checks one against its manifest. A snapshot is the row of the backup
-- job that made it, so what the catalog shows about a snapshot (its manifest, its last verify)
-- lives on that row rather than in a table of its own: one row, one id, nothing to keep in step.
-- Every job that exists before this migration is a backup.

ALTER TABLE jobs ADD COLUMN kind TEXT NOT NULL DEFAULT 'backup'
    CHECK (kind IN ('backup', 'restore', 'verify'));

-- Restore and verify: the id of the backup job whose snapshot they read. No foreign key: a
-- job's record outlives its snapshot's.
ALTER TABLE jobs ADD COLUMN snapshot_id INTEGER NULL;

-- Restore: what to restore and how, set together at submission (NULL on other kinds). Paths and
-- target are written by the store's path codec (store/src/path_codec.hpp): one escaped path per
-- line, so a path holding a newline or a tab reads back whole.
ALTER TABLE jobs ADD COLUMN restore_paths TEXT NULL;
ALTER TABLE jobs ADD COLUMN restore_target TEXT NULL;
ALTER TABLE jobs ADD COLUMN restore_overwrite TEXT NULL
    CHECK (restore_overwrite IN ('never', 'if-changed', 'always'));
ALTER TABLE jobs ADD COLUMN restore_in_place INTEGER NULL;  -- 0 or 1

-- Backup: the digest over its snapshot's whole manifest, set when the job succeeds (NULL for
-- snapshots made before manifests).
ALTER TABLE jobs ADD COLUMN manifest_algorithm TEXT NULL;
ALTER TABLE jobs ADD COLUMN manifest_digest TEXT NULL;

-- Backup: the outcome of the latest verify of its snapshot, set by that verify job's finish.
-- NULL: never verified (or every verify failed for another reason than a mismatch).
ALTER TABLE jobs ADD COLUMN verify_state TEXT NULL CHECK (verify_state IN ('ok', 'failed'));
ALTER TABLE jobs ADD COLUMN verified_at TEXT NULL;

-- Verify: what it found (counts and the first differing paths), by the same codec.
ALTER TABLE jobs ADD COLUMN verify_report TEXT NULL;

-- Listing jobs of one kind, newest first (GET /api/v1/jobs?kind=restore): without it a rare kind
-- is found by walking every backup. The snapshot list (kind 'backup', state 'succeeded') walks it
-- too, or jobs_claim (state, id), or jobs_folder (folder_key, id) for one folder.
CREATE INDEX jobs_kind ON jobs (kind, id);
