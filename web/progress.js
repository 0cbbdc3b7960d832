// Pure: a running job's rate and ETA from successive polls of the job. No DOM; tested with node.
//
// Rate comes from the change between two polls (bytes and files per second), smoothed so one
// slow heartbeat does not make the ETA jump; before a second poll it is the average since
// started_at. ETA is the remaining bytes at the byte rate when bytes_total is known and bytes
// move, otherwise the remaining files at the file rate. Files done = copied + linked (a linked
// file is unchanged since the previous snapshot and needs no copy).

const SMOOTHING = 0.5; // weight of the newest interval's rate

export function filesDone(job) {
    return (job.files_copied || 0) + (job.files_linked || 0);
}

/**
 * One estimate. `previous` is the value this returned for the same job last time (or null).
 * Returns {at, bytes, files, bytesPerSecond, filesPerSecond, etaSeconds}: rates null while
 * unknown, etaSeconds null unless the job runs and a rate and a total are known.
 */
export function estimate(previous, job, nowMs) {
    const bytes = job.bytes_copied || 0;
    const files = filesDone(job);
    let bytesPerSecond = null;
    let filesPerSecond = null;
    if (previous && nowMs > previous.at) {
        const seconds = (nowMs - previous.at) / 1000;
        const byteRate = Math.max(0, (bytes - previous.bytes) / seconds);
        const fileRate = Math.max(0, (files - previous.files) / seconds);
        bytesPerSecond = previous.bytesPerSecond === null ? byteRate
            : SMOOTHING * byteRate + (1 - SMOOTHING) * previous.bytesPerSecond;
        filesPerSecond = previous.filesPerSecond === null ? fileRate
            : SMOOTHING * fileRate + (1 - SMOOTHING) * previous.filesPerSecond;
    } else if (job.started_at) {
        const seconds = (nowMs - Date.parse(job.started_at)) / 1000;
        if (seconds > 0) {
            bytesPerSecond = bytes / seconds;
            filesPerSecond = files / seconds;
        }
    }
    return {
        at: nowMs, bytes, files, bytesPerSecond, filesPerSecond,
        etaSeconds: job.state === 'running'
            ? eta(job, bytes, files, bytesPerSecond, filesPerSecond) : null,
    };
}

function eta(job, bytes, files, bytesPerSecond, filesPerSecond) {
    if (job.bytes_total !== null && job.bytes_total !== undefined && bytesPerSecond > 0) {
        return Math.max(0, (job.bytes_total - bytes) / bytesPerSecond);
    }
    if (job.files_total !== null && job.files_total !== undefined && filesPerSecond > 0) {
        return Math.max(0, (job.files_total - files) / filesPerSecond);
    }
    return null;
}

/** Keeps the latest estimate per job id between polls; forget() drops jobs no longer shown. */
export class ProgressTracker {
    constructor() {
        this.estimates = new Map();
    }

    update(job, nowMs) {
        const next = estimate(this.estimates.get(job.id) || null, job, nowMs);
        this.estimates.set(job.id, next);
        return next;
    }

    forget(keepIds) {
        const keep = new Set(keepIds);
        for (const id of this.estimates.keys()) {
            if (!keep.has(id)) this.estimates.delete(id);
        }
    }
}
