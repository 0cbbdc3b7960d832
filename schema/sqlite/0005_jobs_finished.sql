-- Jobs that ended, per UTC day of finished_at (GET /api/v1/stats/daily, docs/design.md section
-- 7): the grouped count reads one kind's jobs in a finished_at range, which without this index
-- walks every job of the kind (jobs_kind) or the whole table.
CREATE INDEX jobs_finished ON jobs (kind, finished_at);
