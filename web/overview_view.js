// Overview: job counts and success rate (/api/v1/stats), queue depth and the oldest queued
// job's age (the queued jobs of every kind), and the last 30 days of backups per day
// (/api/v1/stats/daily) as a chart. Each stats read writes an audit record (design section 4),
// so the view reads little: the counts once a minute while the tab is visible, the chart every
// five minutes and when the UTC day changes.
import { get } from './api.js';
import { renderChart } from './chart.js';
import { h, messageArea } from './dom.js';
import { ageSeconds, formatBytes, formatDuration, successRate, utcDate } from './format.js';

const REFRESH_MS = 60_000;
const CHART_MS = 5 * 60_000;
const QUEUE_PAGES = 10; // at most 10 pages of 1000 queued jobs are read for the oldest age

/** Every queued job (up to QUEUE_PAGES pages): {depth, more, oldest submitted_at}. */
async function readQueue() {
    let cursor = null;
    let depth = 0;
    let oldest = null;
    for (let page = 0; page < QUEUE_PAGES; page += 1) {
        const answer = await get('/api/v1/jobs', { state: 'queued', limit: 1000, cursor });
        depth += answer.jobs.length;
        for (const job of answer.jobs) {
            if (!oldest || job.submitted_at < oldest) oldest = job.submitted_at;
        }
        cursor = answer.next;
        if (!cursor) return { depth, more: false, oldest };
    }
    return { depth, more: true, oldest };
}

function card(label, value, id) {
    return h('div', { class: 'card' }, h('div', { class: 'card-label', text: label }),
        h('div', { class: 'card-value', id, text: value }));
}

export function renderOverview(container) {
    const messages = messageArea();
    const cards = h('div', { class: 'cards', 'aria-live': 'polite' });
    const chart = h('figure', { class: 'chart-box' });
    container.append(h('h2', { text: 'Overview' }), messages.element, cards,
        h('h3', { text: 'Backups per day, last 30 days' }), chart);

    let stopped = false;
    let timer = null;
    async function refreshCounts() {
        const [stats, queue] = await Promise.all([get('/api/v1/stats'), readQueue()]);
        if (stopped) return;
        const age = ageSeconds(queue.oldest, Date.now());
        cards.replaceChildren(
            card('Backups', String(stats.total), 'stat-total'),
            card('Succeeded', String(stats.succeeded), 'stat-succeeded'),
            card('Failed', String(stats.failed), 'stat-failed'),
            card('Running', String(stats.running), 'stat-running'),
            card('Success rate', successRate(stats.succeeded, stats.failed), 'stat-success-rate'),
            card('Queue depth', `${queue.depth}${queue.more ? '+' : ''}`, 'stat-queue-depth'),
            card('Oldest queued', age === null ? '—' : formatDuration(age), 'stat-oldest-queued'),
            card('Bytes copied', formatBytes(stats.bytes_copied), 'stat-bytes'));
    }

    // The server's default range is its own last 30 UTC days, so the browser's clock is not used.
    let chartDay = null;
    let chartAt = 0;
    async function refreshChart() {
        const day = utcDate(new Date());
        if (day === chartDay && Date.now() - chartAt < CHART_MS) return;
        const daily = await get('/api/v1/stats/daily');
        if (stopped) return;
        chartDay = day;
        chartAt = Date.now();
        const totals = daily.days.reduce((sum, day) =>
            ({ succeeded: sum.succeeded + day.succeeded, failed: sum.failed + day.failed }),
        { succeeded: 0, failed: 0 });
        chart.replaceChildren(renderChart(daily.days), h('figcaption', {},
            h('span', { class: 'key key-succeeded', text: `${totals.succeeded} succeeded` }), ' ',
            h('span', { class: 'key key-failed', text: `${totals.failed} failed` }),
            ` from ${daily.from} to ${daily.to} (UTC days)`));
    }

    // The counts and the chart fail separately: one failing call leaves the other shown.
    async function refresh() {
        if (document.hidden) {
            timer = setTimeout(refresh, REFRESH_MS);
            return;
        }
        const results = await Promise.allSettled([refreshCounts(), refreshChart()]);
        if (stopped) return;
        const failure = results.find((result) => result.status === 'rejected');
        if (failure) messages.error(failure.reason);
        else messages.clear();
        timer = setTimeout(refresh, REFRESH_MS);
    }
    refresh();
    return () => {
        stopped = true;
        clearTimeout(timer);
    };
}
