-- A failed attempt whose error retries goes back to the queue with a time before which no claim
-- takes it (docs/design.md section 5). NULL: no wait. Cleared by the next claim.
-- The claim index (state, id) stays: the scan walks queued jobs in id order and skips the few
-- that wait.
-- IF NOT EXISTS (MariaDB): MySQL commits DDL at once, so a run cut short before the migration
-- was recorded is completed by the next one.

ALTER TABLE jobs ADD COLUMN IF NOT EXISTS run_after DATETIME(6) NULL AFTER finished_at;
