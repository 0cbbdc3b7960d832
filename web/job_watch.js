// Follows one job until it ends, for views that start a job (restore, verify, plan run, prune)
// and show its outcome in place. Polls GET /api/v1/jobs/{id} once a second.
import { get } from './api.js';

export const POLL_MS = 1000;

export function isFinished(job) {
    return job.state === 'succeeded' || job.state === 'failed' || job.state === 'cancelled';
}

/**
 * Calls onUpdate(job) with the job now and after each poll until it has ended, and
 * onError(err) if a poll fails (then stops). Returns a function that stops watching.
 */
export function watchJob(job, onUpdate, onError) {
    let stopped = false;
    let timer = null;
    async function poll(current) {
        if (stopped) return;
        onUpdate(current);
        if (isFinished(current)) return;
        timer = setTimeout(async () => {
            try {
                poll(await get(`/api/v1/jobs/${current.id}`));
            } catch (err) {
                if (!stopped && onError) onError(err);
            }
        }, POLL_MS);
    }
    poll(job);
    return () => {
        stopped = true;
        clearTimeout(timer);
    };
}

/** "Restore job 12: succeeded" plus the job's error message, when it has one. */
export function describeJob(job) {
    const error = job.error ? ` (${job.error.message})` : '';
    return `${job.kind[0].toUpperCase()}${job.kind.slice(1)} job ${job.id}: ${job.state}${error}`;
}
