// Plans: every plan with its next run, last result, last success and an overdue badge
// (plan_status.js); create and edit (the same form: POST or PUT), run now, delete, and a prune
// dry run listing each snapshot with keep or drop and the retention rules' reasons.
import { del, get, post, put } from './api.js';
import { field, h, messageArea, stateBadge, table } from './dom.js';
import { formatTime } from './format.js';
import { describeJob, watchJob } from './job_watch.js';
import { planOverdue } from './plan_status.js';

const RULES = ['keep_last', 'keep_hourly', 'keep_daily', 'keep_weekly', 'keep_monthly', 'keep_yearly'];
const REFRESH_MS = 5000;

export function renderPlans(container) {
    const messages = messageArea();
    const stops = new Set();
    const body = h('tbody');
    const planTable = table(['Plan', 'Folder', 'Schedule', 'Next run', 'Last result', 'Last success', 'Snapshots', ''],
        [], 'Plans, by name');
    planTable.querySelector('tbody').replaceWith(body);
    const jobLine = h('p', { class: 'job-line', role: 'status' });
    const prunePanel = h('section', { class: 'panel', hidden: true, 'aria-live': 'polite' });
    const formPanel = h('section', { class: 'panel' });
    container.append(h('h2', { text: 'Plans' }), messages.element, jobLine,
        h('div', { class: 'table-wrap' }, planTable), prunePanel, formPanel);

    let timer = null;
    let stopped = false;

    function follow(job) {
        const stop = watchJob(job, (current) => {
            jobLine.textContent = describeJob(current);
            jobLine.dataset.state = current.state;
            if (current.state !== 'queued' && current.state !== 'running') {
                stops.delete(stop);
                load();
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

    function showPrune(answer) {
        prunePanel.replaceChildren(...[h('h3', { text: `Prune preview for ${answer.plan} (${answer.folder})` }),
            table(['Snapshot', 'Name', 'Decision', 'Reasons'], answer.snapshots.map((s) =>
                h('tr', { 'data-snapshot-id': s.id },
                    h('td', { text: s.id }), h('td', { text: s.name }),
                    h('td', {}, h('span', { class: `badge ${s.keep ? 'keep' : 'drop'}`, text: s.keep ? 'keep' : 'remove' })),
                    h('td', { text: s.reasons.join('; ') || '—' }))),
            'Newest first; nothing has been removed'),
            answer.snapshots.length ? null : h('p', { text: 'No snapshots yet.' })].filter(Boolean));
        prunePanel.hidden = false;
    }

    function row(plan, now) {
        const overdue = planOverdue(plan, now);
        const last = plan.last_run;
        return h('tr', { 'data-plan': plan.name },
            h('th', { scope: 'row' }, plan.name,
                plan.enabled ? null : h('span', { class: 'badge disabled', text: 'disabled' }),
                overdue.overdue ? h('span', { class: 'badge overdue', title: overdue.reason, text: 'overdue' }) : null),
            h('td', { text: plan.folder }), h('td', { text: `${plan.schedule} (${plan.time_zone})` }),
            h('td', { text: formatTime(plan.next_run_at) }),
            h('td', {}, last ? [stateBadge(last.state), ` job ${last.job_id}, ${formatTime(last.at)}`] : 'never run'),
            h('td', { text: formatTime(plan.last_success_at) }), h('td', { text: plan.snapshots }),
            h('td', { class: 'row-actions' },
                h('button', { type: 'button', text: 'Run now', 'aria-label': `Run ${plan.name} now`,
                    onclick: () => act(() => post(`/api/v1/plans/${encodeURIComponent(plan.name)}/run`), follow) }),
                h('button', { type: 'button', text: 'Prune preview', 'aria-label': `Prune preview of ${plan.name}`,
                    onclick: () => act(() => post(`/api/v1/plans/${encodeURIComponent(plan.name)}/prune`,
                        undefined, { dry_run: 'true' }), showPrune) }),
                h('button', { type: 'button', text: 'Edit', 'aria-label': `Edit ${plan.name}`,
                    onclick: () => showForm(plan) }),
                h('button', { type: 'button', class: 'danger', text: 'Delete', 'aria-label': `Delete ${plan.name}`,
                    onclick: () => {
                        if (!window.confirm(`Delete plan ${plan.name}? Its jobs and snapshots stay.`)) return;
                        act(() => del(`/api/v1/plans/${encodeURIComponent(plan.name)}`), () => load());
                    } })));
    }

    async function load() {
        clearTimeout(timer);
        try {
            const answer = await get('/api/v1/plans');
            if (stopped) return;
            const now = Date.now();
            body.replaceChildren(...answer.plans.map((plan) => row(plan, now)));
            if (!answer.plans.length) {
                body.append(h('tr', {}, h('td', { colspan: 8, class: 'empty', text: 'No plans yet.' })));
            }
        } catch (err) {
            if (!stopped) messages.error(err);
        }
        if (!stopped) timer = setTimeout(load, REFRESH_MS);
    }

    /** The create form, or with a plan the edit form (name fixed, PUT). */
    function showForm(plan = null) {
        const input = (name, value, extra = {}) => h('input', { name, value: value ?? '', autocomplete: 'off', ...extra });
        const name = input('name', plan?.name, { required: true, pattern: '[a-z0-9][a-z0-9\\-]{0,63}', readonly: Boolean(plan) });
        const folder = input('folder', plan?.folder, { required: true });
        const schedule = input('schedule', plan?.schedule, { required: true, placeholder: '0 3 * * *' });
        const zone = input('time_zone', plan?.time_zone ?? 'UTC');
        const enabled = h('input', { type: 'checkbox', name: 'enabled', checked: plan ? plan.enabled : true });
        const rules = RULES.map((rule) => input(rule, plan?.retention?.[rule], { type: 'number', min: 0, step: 1 }));
        const within = input('keep_within', plan?.retention?.keep_within, { placeholder: '48h' });
        const form = h('form', { class: 'plan-form', 'aria-label': plan ? `Edit plan ${plan.name}` : 'Create a plan' },
            h('div', { class: 'grid' }, field('Name', name), field('Folder', folder),
                field('Schedule (cron or @every)', schedule), field('Time zone', zone)),
            h('fieldset', {}, h('legend', { text: 'Retention (empty: not used)' }),
                h('div', { class: 'grid' }, ...RULES.map((rule, i) => field(rule.replace('_', ' '), rules[i])),
                    field('keep within', within))),
            h('label', { class: 'check' }, enabled, ' Enabled'),
            h('div', { class: 'actions' }, h('button', { type: 'submit', text: plan ? 'Save plan' : 'Create plan' }),
                plan ? h('button', { type: 'button', text: 'Cancel edit', onclick: () => showForm() }) : null));
        form.addEventListener('submit', (event) => {
            event.preventDefault();
            const retention = {};
            RULES.forEach((rule, i) => {
                if (rules[i].value !== '') retention[rule] = Number(rules[i].value);
            });
            if (within.value.trim()) retention.keep_within = within.value.trim();
            const spec = { folder: folder.value.trim(), schedule: schedule.value.trim(),
                time_zone: zone.value.trim() || 'UTC', retention, enabled: enabled.checked };
            act(() => (plan ? put(`/api/v1/plans/${encodeURIComponent(plan.name)}`, spec)
                : post('/api/v1/plans', { name: name.value.trim(), ...spec })), (saved) => {
                messages.info(`Plan ${saved.name} ${plan ? 'saved' : 'created'}; next run ${formatTime(saved.next_run_at)}.`);
                showForm();
                load();
            });
        });
        formPanel.replaceChildren(h('h3', { text: plan ? `Edit plan ${plan.name}` : 'Create a plan' }), form);
        if (plan) name.scrollIntoView({ block: 'nearest' });
    }

    showForm();
    load();
    return () => {
        stopped = true;
        clearTimeout(timer);
        for (const stop of stops) stop();
    };
}
