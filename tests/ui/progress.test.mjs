// Unit tests of rate and ETA from successive polls (web/progress.js) and the chart geometry.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { estimate, ProgressTracker } from '../../web/progress.js';
import { chartBars } from '../../web/chart.js';

const job = (fields) => ({ id: 7, state: 'running', files_copied: 0, files_linked: 0, bytes_copied: 0,
    files_total: null, bytes_total: null, started_at: null, ...fields });

test('the first poll averages since started_at', () => {
    const start = Date.parse('2026-12-01T00:00:00Z');
    const first = estimate(null, job({ started_at: '2026-12-01T00:00:00Z', bytes_copied: 1000,
        bytes_total: 3000, files_copied: 1, files_total: 3 }), start + 10_000);
    assert.equal(first.bytesPerSecond, 100);
    assert.equal(first.filesPerSecond, 0.1);
    assert.equal(first.etaSeconds, 20);
});

test('successive polls give the rate and ETA from bytes', () => {
    const tracker = new ProgressTracker();
    tracker.update(job({ bytes_copied: 0, bytes_total: 1000 }), 0);
    const second = tracker.update(job({ bytes_copied: 200, bytes_total: 1000 }), 1000);
    assert.equal(second.bytesPerSecond, 200);
    assert.equal(second.etaSeconds, 4);
    const third = tracker.update(job({ bytes_copied: 300, bytes_total: 1000 }), 2000);
    assert.equal(third.bytesPerSecond, 150); // smoothed: half 100, half 200
    assert.equal(Math.round(third.etaSeconds * 100) / 100, 4.67);
});

test('the ETA falls back to files when bytes do not move, and counts linked files', () => {
    const tracker = new ProgressTracker();
    tracker.update(job({ files_total: 10 }), 0);
    const next = tracker.update(job({ files_copied: 1, files_linked: 1, files_total: 10 }), 1000);
    assert.equal(next.filesPerSecond, 2);
    assert.equal(next.etaSeconds, 4);
});

test('no ETA without totals, or once the job has ended', () => {
    assert.equal(estimate(null, job({ started_at: '2026-12-01T00:00:00Z', bytes_copied: 5 }),
        Date.parse('2026-12-01T00:00:05Z')).etaSeconds, null);
    assert.equal(estimate({ at: 0, bytes: 0, files: 0, bytesPerSecond: null, filesPerSecond: null },
        job({ state: 'succeeded', bytes_copied: 10, bytes_total: 10 }), 1000).etaSeconds, null);
});

test('forget drops jobs no longer shown', () => {
    const tracker = new ProgressTracker();
    tracker.update(job({ id: 1 }), 0);
    tracker.update(job({ id: 2 }), 0);
    tracker.forget([2]);
    assert.deepEqual([...tracker.estimates.keys()], [2]);
});

test('chart bars stack successes on failures and scale to the busiest day', () => {
    const { max, bars, plotHeight } = chartBars([
        { date: '2026-12-01', succeeded: 3, failed: 1 },
        { date: '2026-12-02', succeeded: 0, failed: 0 },
    ], 224, 124, 24);
    assert.equal(max, 4);
    assert.equal(plotHeight, 100);
    assert.deepEqual(bars[0].failed, { y: 75, height: 25 });
    assert.deepEqual(bars[0].succeeded, { y: 0, height: 75 });
    assert.equal(bars[1].succeeded.height, 0);
    assert.ok(bars[1].x > bars[0].x);
    assert.equal(chartBars([], 100, 100).max, 1);
});
