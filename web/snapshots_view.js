// Snapshots: list (optionally of one folder), and per snapshot browse its tree, download a
// file (fetched with the bearer header into a Blob), restore (all, or the directory being
// browsed), verify, pin or unpin, and delete (a prune job; refused while pinned).
import { del, get, getBlob, post } from './api.js';
import { field, h, messageArea, saveBlob, select, table } from './dom.js';
import { formatBytes, formatTime } from './format.js';
import { describeJob, watchJob } from './job_watch.js';

const PAGE_SIZE = 50;

export function renderSnapshots(container) {
    const messages = messageArea();
    const stops = new Set(); // running job watches, stopped with the view
    const folderFilter = h('input', { name: 'folder', autocomplete: 'off' });
    const filterForm = h('form', { class: 'inline filters', 'aria-label': 'Filter snapshots' },
        field('Folder', folderFilter), h('button', { type: 'submit', text: 'Show' }));
    const body = h('tbody');
    const listTable = table(['Snapshot', 'Folder', 'Name', 'Created', 'Files', 'Size', 'Verified', ''],
        [], 'Snapshots, newest first');
    listTable.querySelector('tbody').replaceWith(body);
    const more = h('button', { type: 'button', text: 'More', hidden: true });
    const detail = h('section', { class: 'panel detail', hidden: true, 'aria-live': 'polite' });
    const jobLine = h('p', { class: 'job-line', role: 'status' });
    container.append(h('h2', { text: 'Snapshots' }), messages.element, filterForm, jobLine,
        h('div', { class: 'table-wrap' }, listTable), h('div', { class: 'pager' }, more), detail);

    let next = null;

    function follow(job, after) {
        const stop = watchJob(job, (current) => {
            jobLine.textContent = describeJob(current);
            jobLine.dataset.state = current.state;
            if (current.state !== 'queued' && current.state !== 'running') {
                stops.delete(stop);
                if (after) after(current);
            }
        }, (err) => messages.error(err));
        stops.add(stop);
    }

    async function act(call, done) {
        try {
            const answer = await call();
            messages.clear();
            if (done) done(answer);
        } catch (err) {
            messages.error(err);
        }
    }

    function row(snapshot) {
        const verify = snapshot.verify_state || 'never';
        return h('tr', { 'data-snapshot-id': snapshot.id },
            h('td', { text: snapshot.id }), h('td', { text: snapshot.folder }),
            h('td', { text: snapshot.name }), h('td', { text: formatTime(snapshot.created_at) }),
            h('td', { text: snapshot.files }), h('td', { text: formatBytes(snapshot.bytes) }),
            h('td', {}, h('span', { class: `badge verify-${verify}`, text: verify }),
                snapshot.pinned ? h('span', { class: 'badge pinned', text: 'pinned' }) : null),
            h('td', { class: 'row-actions' },
                h('button', { type: 'button', text: 'Browse', 'aria-label': `Browse snapshot ${snapshot.id}`,
                    onclick: () => openSnapshot(snapshot, '') }),
                h('button', { type: 'button', text: 'Verify', 'aria-label': `Verify snapshot ${snapshot.id}`,
                    onclick: () => act(() => post(`/api/v1/snapshots/${snapshot.id}/verify`),
                        (job) => follow(job, () => load(true))) }),
                h('button', { type: 'button', text: snapshot.pinned ? 'Unpin' : 'Pin',
                    'aria-label': `${snapshot.pinned ? 'Unpin' : 'Pin'} snapshot ${snapshot.id}`,
                    onclick: () => act(() => (snapshot.pinned
                        ? del(`/api/v1/snapshots/${snapshot.id}/pin`)
                        : post(`/api/v1/snapshots/${snapshot.id}/pin`)), () => load(true)) }),
                h('button', { type: 'button', class: 'danger', text: 'Delete',
                    'aria-label': `Delete snapshot ${snapshot.id}`,
                    onclick: () => {
                        if (!window.confirm(`Delete snapshot ${snapshot.id} (${snapshot.name})?`)) return;
                        act(() => del(`/api/v1/snapshots/${snapshot.id}`),
                            (job) => follow(job, () => load(true)));
                    } })));
    }

    async function load(reset) {
        try {
            const answer = await get('/api/v1/snapshots', { folder: folderFilter.value.trim(),
                limit: PAGE_SIZE, cursor: reset ? null : next });
            if (reset) body.replaceChildren();
            body.append(...answer.snapshots.map(row));
            if (!body.children.length) {
                body.append(h('tr', {}, h('td', { colspan: 8, class: 'empty', text: 'No snapshots.' })));
            }
            next = answer.next;
            more.hidden = !next;
        } catch (err) {
            messages.error(err);
        }
    }

    async function openSnapshot(snapshot, path, cursor = null) {
        try {
            const page = await get(`/api/v1/snapshots/${snapshot.id}/files`, { path, limit: 200, cursor });
            showDirectory(snapshot, path, page);
            messages.clear();
        } catch (err) {
            messages.error(err);
        }
    }

    function breadcrumbs(snapshot, path) {
        const parts = path ? path.split('/') : [];
        const crumbs = [h('button', { type: 'button', class: 'link', text: `${snapshot.folder} @ ${snapshot.name}`,
            onclick: () => openSnapshot(snapshot, '') })];
        parts.forEach((part, index) => {
            const sub = parts.slice(0, index + 1).join('/');
            crumbs.push(' / ', h('button', { type: 'button', class: 'link', text: part,
                onclick: () => openSnapshot(snapshot, sub) }));
        });
        return h('nav', { class: 'crumbs', 'aria-label': 'Path in the snapshot' }, crumbs);
    }

    function entryRow(snapshot, path, entry) {
        const full = path ? `${path}/${entry.name}` : entry.name;
        let name = h('span', { text: entry.name });
        let action = null;
        if (entry.type === 'dir') {
            name = h('button', { type: 'button', class: 'link', text: `${entry.name}/`,
                onclick: () => openSnapshot(snapshot, full) });
        } else if (entry.type === 'file') {
            action = h('button', { type: 'button', text: 'Download', 'aria-label': `Download ${entry.name}`,
                onclick: () => act(() => getBlob(`/api/v1/snapshots/${snapshot.id}/content`, { path: full }),
                    (blob) => saveBlob(blob, entry.name)) });
        } else if (entry.type === 'symlink') {
            name = h('span', { text: `${entry.name} → ${entry.target}` });
        }
        return h('tr', { 'data-entry': entry.name, 'data-type': entry.type },
            h('td', {}, name), h('td', { text: entry.type }),
            h('td', { text: entry.type === 'file' ? formatBytes(entry.size) : '' }),
            h('td', { text: formatTime(entry.mtime) }), h('td', {}, action));
    }

    function restoreForm(snapshot, path) {
        const scope = select('scope', [['all', 'the whole snapshot'],
            ...(path ? [['here', `only ${path}`]] : [])]);
        const target = h('input', { name: 'target', autocomplete: 'off',
            placeholder: `${snapshot.folder}/${snapshot.name}` });
        const overwrite = select('overwrite', [['never', 'never'], ['if-changed', 'if changed'], ['always', 'always']]);
        const form = h('form', { class: 'inline', 'aria-label': 'Restore' },
            field('Restore', scope), field('Target (under the restore root)', target),
            field('Overwrite', overwrite), h('button', { type: 'submit', text: 'Restore' }));
        form.addEventListener('submit', (event) => {
            event.preventDefault();
            const request = { snapshot: snapshot.id, overwrite: overwrite.value };
            if (scope.value === 'here') request.paths = [path];
            if (target.value.trim()) request.target = target.value.trim();
            act(() => post('/api/v1/restores', request), (job) => follow(job));
        });
        return form;
    }

    function showDirectory(snapshot, path, page) {
        const entries = table(['Name', 'Type', 'Size', 'Modified', ''],
            page.entries.map((entry) => entryRow(snapshot, path, entry)), `Files in ${path || 'the top'}`);
        detail.replaceChildren(...[h('h3', { text: `Snapshot ${snapshot.id}` }), breadcrumbs(snapshot, path),
            h('div', { class: 'table-wrap' }, entries),
            page.next ? h('button', { type: 'button', text: 'More files',
                onclick: () => openSnapshot(snapshot, path, page.next) }) : null,
            h('h4', { text: 'Restore' }), restoreForm(snapshot, path)].filter(Boolean));
        detail.hidden = false;
        detail.dataset.snapshotId = snapshot.id;
        detail.dataset.path = path;
    }

    filterForm.addEventListener('submit', (event) => {
        event.preventDefault();
        detail.hidden = true;
        load(true);
    });
    more.addEventListener('click', () => load(false));
    load(true);
    return () => {
        for (const stop of stops) stop();
    };
}
