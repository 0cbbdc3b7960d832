// Unit tests of the plans screen's overdue badge (web/plan_status.js).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { expectedPeriodSeconds, parseDuration, planOverdue } from '../../web/plan_status.js';

const now = Date.parse('2026-12-03T12:00:00Z');
const plan = (fields) => ({ enabled: true, schedule: '0 3 * * *', created_at: '2026-12-03T11:00:00Z',
    next_run_at: '2026-12-04T03:00:00Z', last_success_at: null, ...fields });

test('periods come from @every, the shortcuts and the coarsest fixed cron field', () => {
    assert.equal(parseDuration('1h30m'), 5400);
    assert.equal(parseDuration('soon'), null);
    assert.equal(expectedPeriodSeconds('@every 10m'), 600);
    assert.equal(expectedPeriodSeconds('@daily'), 86400);
    assert.equal(expectedPeriodSeconds('0 3 * * *'), 86400);
    assert.equal(expectedPeriodSeconds('*/5 * * * *'), 3600);
    assert.equal(expectedPeriodSeconds('0 3 * * sun'), 7 * 86400);
    assert.equal(expectedPeriodSeconds('0 3 1 * *'), 31 * 86400);
    assert.equal(expectedPeriodSeconds('nonsense'), null);
});

test('a plan on time is not overdue', () => {
    assert.equal(planOverdue(plan({}), now).overdue, false);
    assert.equal(planOverdue(plan({ last_success_at: '2026-12-03T03:00:00Z' }), now).overdue, false);
});

test('a next run far in the past is overdue', () => {
    const result = planOverdue(plan({ next_run_at: '2026-12-03T11:00:00Z' }), now);
    assert.equal(result.overdue, true);
    assert.match(result.reason, /past due/);
    assert.equal(planOverdue(plan({ next_run_at: '2026-12-03T11:58:00Z' }), now).overdue, false);
});

test('no success within two periods is overdue, a disabled plan never', () => {
    assert.equal(planOverdue(plan({ last_success_at: '2026-12-01T03:00:00Z' }), now).overdue, true);
    assert.equal(planOverdue(plan({ created_at: '2026-11-20T00:00:00Z' }), now).overdue, true);
    assert.equal(planOverdue(plan({ enabled: false, next_run_at: null,
        last_success_at: '2026-01-01T00:00:00Z' }), now).overdue, false);
});
