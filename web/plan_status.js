// Pure: is a plan overdue? No DOM; tested with node (tests/ui/plan_status.test.mjs).
//
// A plan is overdue when it is enabled and either its next due time is more than a grace
// period in the past (the scheduler has not fired it), or its last success is older than two
// expected periods (runs happen but fail, or are skipped). The period comes from the schedule:
// @every <duration> exactly, the @ shortcuts, and for a cron expression the coarsest field
// that is restricted (a fixed day of month: monthly; a fixed weekday: weekly; a fixed hour:
// daily; otherwise hourly). A heuristic, shown as a badge, never acted upon.

export const GRACE_SECONDS = 300;

const UNIT_SECONDS = { s: 1, m: 60, h: 3600, d: 86400, w: 604800 };

/** "1h30m" -> 5400; "45s" -> 45; anything else -> null. */
export function parseDuration(text) {
    const trimmed = String(text || '').trim();
    if (!/^(\d+[smhdw])+$/.test(trimmed)) return null;
    let total = 0;
    for (const [, count, unit] of trimmed.matchAll(/(\d+)([smhdw])/g)) {
        total += Number(count) * UNIT_SECONDS[unit];
    }
    return total;
}

/** The expected seconds between runs of a schedule, or null when it cannot be told. */
export function expectedPeriodSeconds(schedule) {
    const text = String(schedule || '').trim();
    const shortcuts = { '@hourly': 3600, '@daily': 86400, '@midnight': 86400,
        '@weekly': 604800, '@monthly': 31 * 86400, '@yearly': 366 * 86400,
        '@annually': 366 * 86400 };
    if (text in shortcuts) return shortcuts[text];
    if (text.startsWith('@every ')) return parseDuration(text.slice(7));
    const fields = text.split(/\s+/);
    if (fields.length !== 5) return null;
    const [, hour, dayOfMonth, month, dayOfWeek] = fields;
    const fixed = (field) => field !== '*' && !field.startsWith('*/');
    if (fixed(month)) return 366 * 86400;
    if (fixed(dayOfMonth)) return 31 * 86400;
    if (fixed(dayOfWeek)) return 7 * 86400;
    if (fixed(hour)) return 86400;
    return 3600;
}

/** {overdue, reason}: reason is a sentence for the badge's title, null when not overdue. */
export function planOverdue(plan, nowMs) {
    if (!plan.enabled) return { overdue: false, reason: null };
    if (plan.next_run_at && Date.parse(plan.next_run_at) < nowMs - GRACE_SECONDS * 1000) {
        return { overdue: true, reason: 'Its next run is past due and has not started.' };
    }
    const period = expectedPeriodSeconds(plan.schedule);
    if (period === null) return { overdue: false, reason: null };
    const since = plan.last_success_at || plan.created_at;
    if (since && Date.parse(since) < nowMs - (2 * period + GRACE_SECONDS) * 1000) {
        return {
            overdue: true,
            reason: plan.last_success_at ? 'No successful run within two periods.'
                : 'No successful run yet, two periods after it was created.',
        };
    }
    return { overdue: false, reason: null };
}
