// Jobs: submit a folder, filter by state, kind and folder, page with the API's cursor, cancel,
// and live progress (files, bytes, rate, ETA) refreshed every second while shown.
import { del, get, post } from './api.js';
import { field, h, messageArea, select, stateBadge, table } from './dom.js';
import { formatBytes, formatDuration, formatRate, formatTime, percent } from './format.js';
import { filesDone, ProgressTracker } from './progress.js';

const POLL_MS = 1000;
const PAGE_SIZE = 25;
const STATES = ['queued', 'running', 'succeeded', 'failed', 'cancelled'];
const KINDS = ['backup', 'restore', 'verify', 'prune'];

// An unknown total draws an indeterminate bar while the job is active, an empty one after.
function bar(label, done, total, text, active) {
    const value = percent(done, total) ?? (active ? null : 0);
    return h('div', { class: 'bar' },
        h('span', { class: 'bar-label', text: label }),
        value === null ? h('progress', { 'aria-label': label })
            : h('progress', { max: 100, value, 'aria-label': `${label} ${value}%` }),
        h('span', { class: 'bar-text', text }));
}

function progressCell(job, estimate) {
    const files = filesDone(job);
    const active = job.state === 'running' || job.state === 'queued';
    const filesText = job.files_total === null ? `${files} files` : `${files}/${job.files_total} files`;
    const bytesText = job.bytes_total === null ? formatBytes(job.bytes_copied)
        : `${formatBytes(job.bytes_copied)} / ${formatBytes(job.bytes_total)}`;
    const finishedTotal = job.state === 'succeeded' ? Math.max(1, files) : job.files_total;
    return h('td', { class: 'progress' },
        bar('Files', job.state === 'succeeded' ? finishedTotal : files, finishedTotal, filesText, active),
        bar('Bytes', job.bytes_copied, job.state === 'succeeded'
            ? Math.max(1, job.bytes_copied) : job.bytes_total, bytesText, active),
        active ? h('div', { class: 'rate' },
            h('span', { text: `Rate ${formatRate(estimate.bytesPerSecond)}` }), ' · ',
            h('span', { class: 'eta', text: `ETA ${formatDuration(estimate.etaSeconds)}` }))
            : null);
}

export function renderJobs(container) {
    const messages = messageArea();
    const tracker = new ProgressTracker();
    const filters = { state: '', kind: '', folder: '' };
    let cursors = [null]; // cursor of each page seen; the last is the current page's
    let next = null;
    let stopped = false;
    let timer = null;
    let generation = 0; // only the newest refresh draws and schedules the next

    const folderInput = h('input', { name: 'folder', required: true, placeholder: 'photos', autocomplete: 'off' });
    const submitForm = h('form', { class: 'inline', 'aria-label': 'Submit a backup' },
        field('Folder to back up', folderInput), h('button', { type: 'submit', text: 'Back up' }));
    submitForm.addEventListener('submit', async (event) => {
        event.preventDefault();
        try {
            const job = await post('/api/v1/backups', { folder: folderInput.value.trim() });
            messages.info(`Backup job ${job.id} of ${job.folder} queued.`);
            folderInput.value = '';
            cursors = [null];
            refresh();
        } catch (err) {
            messages.error(err);
        }
    });

    const stateSelect = select('state', [['', 'any state'], ...STATES.map((s) => [s, s])]);
    const kindSelect = select('kind', [['', 'any kind'], ...KINDS.map((k) => [k, k])]);
    const folderFilter = h('input', { name: 'folder', autocomplete: 'off' });
    const filterForm = h('form', { class: 'inline filters', 'aria-label': 'Filter jobs' },
        field('State', stateSelect), field('Kind', kindSelect), field('Folder', folderFilter),
        h('button', { type: 'submit', text: 'Filter' }));
    filterForm.addEventListener('submit', (event) => {
        event.preventDefault();
        filters.state = stateSelect.value;
        filters.kind = kindSelect.value;
        filters.folder = folderFilter.value.trim();
        cursors = [null];
        refresh();
    });

    const body = h('tbody');
    const pageInfo = h('span', { class: 'page-info' });
    const newer = h('button', { type: 'button', text: 'Newer', onclick: () => {
        cursors.pop();
        refresh();
    } });
    const older = h('button', { type: 'button', text: 'Older', onclick: () => {
        cursors.push(next);
        refresh();
    } });
    const jobsTable = table(['Job', 'Kind', 'Folder', 'State', 'Progress', 'Submitted', ''], [], 'Jobs, newest first');
    jobsTable.querySelector('tbody').replaceWith(body);

    container.append(h('h2', { text: 'Jobs' }), messages.element, submitForm, filterForm,
        h('div', { class: 'table-wrap' }, jobsTable),
        h('div', { class: 'pager' }, newer, pageInfo, older));

    async function cancel(job) {
        try {
            await del(`/api/v1/jobs/${job.id}`);
            messages.info(`Job ${job.id} cancelled.`);
        } catch (err) {
            messages.error(err);
        }
        refresh();
    }

    function row(job, now) {
        const estimate = tracker.update(job, now);
        const active = job.state === 'queued' || job.state === 'running';
        return h('tr', { 'data-job-id': job.id, 'data-state': job.state },
            h('td', { text: job.id }), h('td', { text: job.kind }), h('td', { text: job.folder }),
            h('td', {}, stateBadge(job.state),
                job.error ? h('div', { class: 'error small', text: job.error.message }) : null),
            progressCell(job, estimate),
            h('td', { text: formatTime(job.submitted_at) }),
            h('td', {}, active ? h('button', { type: 'button', class: 'danger',
                'aria-label': `Cancel job ${job.id}`, text: 'Cancel', onclick: () => cancel(job) }) : null));
    }

    async function refresh() {
        clearTimeout(timer);
        const mine = ++generation;
        try {
            const answer = await get('/api/v1/jobs', { ...filters, limit: PAGE_SIZE,
                cursor: cursors[cursors.length - 1] });
            if (stopped || mine !== generation) return;
            const now = Date.now();
            tracker.forget(answer.jobs.map((job) => job.id));
            body.replaceChildren(...answer.jobs.map((job) => row(job, now)));
            if (!answer.jobs.length) {
                body.append(h('tr', {}, h('td', { colspan: 7, class: 'empty', text: 'No jobs match.' })));
            }
            next = answer.next;
            older.disabled = !next;
            newer.disabled = cursors.length < 2;
            pageInfo.textContent = `Page ${cursors.length}`;
        } catch (err) {
            if (stopped || mine !== generation) return;
            messages.error(err);
        }
        if (!stopped && mine === generation) timer = setTimeout(refresh, POLL_MS);
    }
    refresh();
    return () => {
        stopped = true;
        clearTimeout(timer);
    };
}
