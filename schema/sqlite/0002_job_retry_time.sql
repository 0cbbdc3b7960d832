-- A failed attempt whose error retries goes back to the queue with a time before which no claim
-- takes it (docs/design.md section 5). NULL: no wait. Cleared by the next claim.
-- The claim index (state, id) stays: the scan walks queued jobs in id order and skips the few
-- that wait.

ALTER TABLE jobs ADD COLUMN run_after TEXT NULL;
