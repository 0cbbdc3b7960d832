// Logs: the audit log filtered by a date range (whole UTC days), action and status, paged with
// the API's cursor, and downloadable as JSON or CSV. Downloads fetch every match with the
// bearer header and save a Blob; the token never goes in a URL. Not polled: every read of the
// log is itself audited.
import { get } from './api.js';
import { toCsv } from './csv.js';
import { field, h, messageArea, saveBlob, select, table } from './dom.js';
import { formatTime } from './format.js';

const PAGE_SIZE = 50;
const ACTIONS = ['Backup', 'Get Log', 'Get Stats', 'Restore', 'Verify', 'Schedule', 'Prune'];
const COLUMNS = ['id', 'at', 'action', 'status', 'folder', 'job_id', 'message', 'client_address'];

export function renderLogs(container) {
    const messages = messageArea();
    const from = h('input', { type: 'date', name: 'from' });
    const to = h('input', { type: 'date', name: 'to' });
    const action = select('action', [['', 'any action'], ...ACTIONS.map((a) => [a, a])]);
    const status = select('status', [['', 'any status'], ['SUCCESS', 'SUCCESS'], ['FAILED', 'FAILED']]);
    const form = h('form', { class: 'inline filters', 'aria-label': 'Filter the audit log' },
        field('From (UTC day)', from), field('To (UTC day)', to), field('Action', action),
        field('Status', status), h('button', { type: 'submit', text: 'Show' }));
    const body = h('tbody');
    const logTable = table(['#', 'At', 'Action', 'Status', 'Folder', 'Job', 'Message', 'Client'], [],
        'Audit records, oldest first');
    logTable.querySelector('tbody').replaceWith(body);
    const pageInfo = h('span', { class: 'page-info' });
    let cursors = [null];
    let next = null;
    const earlier = h('button', { type: 'button', text: 'Previous', onclick: () => {
        cursors.pop();
        load();
    } });
    const later = h('button', { type: 'button', text: 'Next', onclick: () => {
        cursors.push(next);
        load();
    } });
    const downloadJson = h('button', { type: 'button', text: 'Download JSON', onclick: () => download('json') });
    const downloadCsv = h('button', { type: 'button', text: 'Download CSV', onclick: () => download('csv') });

    container.append(h('h2', { text: 'Logs' }), messages.element, form,
        h('div', { class: 'actions' }, downloadJson, downloadCsv),
        h('div', { class: 'table-wrap' }, logTable), h('div', { class: 'pager' }, earlier, pageInfo, later));

    function filters() {
        return { from: from.value, to: to.value, action: action.value, status: status.value };
    }

    async function load() {
        try {
            const answer = await get('/api/v1/logs', { ...filters(), limit: PAGE_SIZE,
                cursor: cursors[cursors.length - 1] });
            body.replaceChildren(...answer.logs.map((record) => h('tr', { 'data-log-id': record.id },
                h('td', { text: record.id }), h('td', { text: formatTime(record.at) }),
                h('td', { text: record.action }),
                h('td', {}, h('span', { class: `badge status-${record.status}`, text: record.status })),
                h('td', { text: record.folder || '' }), h('td', { text: record.job_id ?? '' }),
                h('td', { class: 'message', text: record.message || '' }),
                h('td', { text: record.client_address || '' }))));
            if (!answer.logs.length) {
                body.append(h('tr', {}, h('td', { colspan: 8, class: 'empty', text: 'No records match.' })));
            }
            next = answer.next;
            later.disabled = !next;
            earlier.disabled = cursors.length < 2;
            pageInfo.textContent = `Page ${cursors.length}`;
            messages.clear();
        } catch (err) {
            messages.error(err);
        }
    }

    async function download(format) {
        try {
            // Without limit and cursor the API streams every match: one request, one audit record.
            const answer = await get('/api/v1/logs', filters());
            const stamp = new Date().toISOString().slice(0, 19).replaceAll(':', '');
            const blob = format === 'json'
                ? new Blob([JSON.stringify(answer.logs, null, 2)], { type: 'application/json' })
                : new Blob([toCsv(answer.logs, COLUMNS)], { type: 'text/csv' });
            saveBlob(blob, `backupd-logs-${stamp}.${format}`);
            messages.info(`${answer.logs.length} records saved as ${format.toUpperCase()}.`);
        } catch (err) {
            messages.error(err);
        }
    }

    form.addEventListener('submit', (event) => {
        event.preventDefault();
        cursors = [null];
        load();
    });
    load();
    return null;
}
