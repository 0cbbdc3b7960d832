// The dashboard end to end: Debian's Chromium (playwright-core) against the real daemon
// (build/bin/backupd, SQLite, a token file), one screen after another, as an operator would:
// sign in, read the overview, submit a backup and watch it succeed, cancel a queued job,
// filter and download the logs, browse, download from and restore a snapshot, create, edit
// and run a plan. A screenshot per screen lands in ${BUILD_DIR:-build}/ui-screenshots/.
// Usage: BACKUPD_BIN=build/bin/backupd node --test tests/ui/dashboard.test.mjs
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { mkdirSync, readFileSync, existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { launch } from './lib/browser.mjs';
import { startDaemon, TOKEN, writeTree } from './lib/daemon.mjs';

const BIN = resolve(process.env.BACKUPD_BIN || 'build/bin/backupd');
const SHOTS = resolve(process.env.BUILD_DIR || 'build', 'ui-screenshots');
const WAIT = { timeout: 30_000 };
const BIG_FILES = 30_000;
const today = new Date().toISOString().slice(0, 10);

let daemon;
let browser;
let page;

async function shot(name) {
    await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
}

/** Waits until the locator matches exactly n elements (a filtered list replaced the last one). */
async function waitCount(locator, n) {
    const end = Date.now() + WAIT.timeout;
    while (await locator.count() !== n) {
        if (Date.now() > end) throw new Error(`expected ${n} matches, have ${await locator.count()}`);
        await new Promise((done) => { setTimeout(done, 100); });
    }
}

async function show(route) {
    await page.goto(`${daemon.base}/#/${route}`);
    await page.locator(`main[data-view="${route}"] h2`).waitFor(WAIT);
}

describe('dashboard', { concurrency: false }, () => {
    before(async () => {
        mkdirSync(SHOTS, { recursive: true });
        // One worker copying one file at a time, so a large folder keeps it busy while a second
        // job waits queued (to be cancelled) and progress can be watched while it runs.
        daemon = await startDaemon(BIN, ['--workers', '1', '--copy-threads', '1']);
        writeTree(daemon.dirs.src, {
            'docs/a.txt': 'hello from docs\n',
            'docs/sub/b.txt': 'bytes of b, downloaded through the dashboard\n',
            'photos/1.jpg': 'x'.repeat(4096),
            'photos/2.jpg': 'y'.repeat(8192),
            'queued/q.txt': 'never copied: cancelled while queued\n',
        });
        const big = {};
        // About 30,000 files keep one copy thread busy for seconds even on a fast disk.
        for (let i = 0; i < BIG_FILES; i += 1) big[`big/d${i % 100}/f${i}.bin`] = `${i}`.repeat(50);
        writeTree(daemon.dirs.src, big);
        browser = await launch();
        page = browser.page;
    });

    after(async () => {
        if (browser) await browser.close();
        if (daemon) await daemon.stop();
    });

    it('asks for a token on 401, shows the API message for a wrong one, and keeps it out of URLs', async () => {
        await page.goto(`${daemon.base}/`);
        await page.locator('#sign-in').waitFor({ state: 'visible', ...WAIT });
        await page.getByLabel('API token').fill('not-the-token');
        await page.getByRole('button', { name: 'Sign in' }).click();
        const refused = await fetch(`${daemon.base}/api/v1/stats`, { headers: { Authorization: 'Bearer not-the-token' } });
        const apiMessage = (await refused.json()).error.message;
        await page.locator('#sign-in-message', { hasText: apiMessage }).waitFor(WAIT);
        await page.getByLabel('API token').fill(TOKEN);
        await page.getByRole('button', { name: 'Sign in' }).click();
        await page.locator('#stat-total').waitFor(WAIT);
        assert.equal(await page.evaluate(() => sessionStorage.getItem('backupd.token')), TOKEN);
        assert.equal(await page.locator('#sign-in').isHidden(), true);
    });

    it('shows the overview: counts, success rate, queue and the 30-day chart', async () => {
        const ok = await daemon.api('POST', '/api/v1/backups?wait=30', { folder: 'docs' });
        assert.equal(ok.body.state, 'succeeded');
        const refused = await daemon.api('POST', '/api/v1/backups', { folder: 'no-such-folder' });
        assert.equal(refused.status, 404);
        await show('overview');
        await page.locator('#stat-success-rate', { hasText: '50%' }).waitFor(WAIT);
        const stats = (await daemon.api('GET', '/api/v1/stats')).body;
        assert.equal(await page.locator('#stat-total').textContent(), String(stats.total));
        assert.equal(await page.locator('#stat-failed').textContent(), '1');
        assert.equal(await page.locator('#stat-queue-depth').textContent(), '0');
        assert.equal(await page.locator('#stat-oldest-queued').textContent(), '—');
        assert.equal(await page.locator('svg.chart g.day').count(), 30);
        const todayBar = page.locator(`svg.chart g.day[data-date="${today}"] title`);
        assert.equal(await todayBar.textContent(), `${today}: 1 succeeded, 1 failed`);
        await shot('overview');
        // Each stats read is audited: the shown overview must not read again within seconds.
        const statsRecords = async () => (await daemon.api('GET',
            '/api/v1/logs?action=Get%20Stats')).body.logs.length;
        const before = await statsRecords();
        await new Promise((done) => setTimeout(done, 6000));
        assert.equal(await statsRecords(), before, 'the overview re-read /stats within 6 s');
    });

    it('submits a backup from the jobs screen and watches it reach succeeded', async () => {
        await show('jobs');
        await page.getByLabel('Folder to back up').fill('photos');
        await page.getByRole('button', { name: 'Back up' }).click();
        const queued = page.locator('.messages .info', { hasText: 'of photos queued' });
        await queued.waitFor(WAIT);
        const id = (await queued.textContent()).match(/job (\d+)/)[1];
        const row = page.locator(`tr[data-job-id="${id}"]`);
        await page.locator(`tr[data-job-id="${id}"][data-state="succeeded"]`).waitFor(WAIT);
        assert.match(await row.locator('.progress').textContent(), /2\/2 files/);
        assert.equal(await row.locator('progress').first().getAttribute('value'), '100');
        assert.equal((await daemon.api('GET', `/api/v1/jobs/${id}`)).body.state, 'succeeded');
    });

    it('shows live progress with rate and ETA, and cancels a queued job', async () => {
        await show('jobs');
        const big = await daemon.api('POST', '/api/v1/backups', { folder: 'big' });
        const waiting = await daemon.api('POST', '/api/v1/backups', { folder: 'queued' });
        assert.equal(waiting.body.state, 'queued');
        const bigRow = page.locator(`tr[data-job-id="${big.body.id}"]`);
        await page.locator(`tr[data-job-id="${big.body.id}"][data-state="running"]`).waitFor(WAIT);
        await bigRow.locator('.rate').waitFor(WAIT);
        assert.match(await bigRow.locator('.rate').textContent(), /^Rate .+ · ETA .+$/);
        await shot('jobs');

        await page.getByLabel('State').selectOption('queued');
        await page.getByRole('button', { name: 'Filter' }).click();
        const cancel = page.getByRole('button', { name: `Cancel job ${waiting.body.id}` });
        await cancel.click();
        await page.locator('.messages .info', { hasText: `Job ${waiting.body.id} cancelled.` }).waitFor(WAIT);
        const after = (await daemon.api('GET', `/api/v1/jobs/${waiting.body.id}`)).body;
        assert.equal(after.state, 'cancelled');
        assert.equal(after.started_at, null, 'it was cancelled while queued, never started');
        await page.locator(`tr[data-job-id="${waiting.body.id}"]`).waitFor({ state: 'detached', ...WAIT });

        const done = await daemon.waitJob(big.body.id, 120);
        assert.equal(done.state, 'succeeded');
        await page.getByLabel('State').selectOption('succeeded');
        await page.getByLabel('Kind').selectOption('backup');
        await page.getByLabel('Folder', { exact: true }).fill('big');
        await page.getByRole('button', { name: 'Filter' }).click();
        await waitCount(page.locator('tbody tr[data-job-id]'), 1);
        await page.locator(`tr[data-job-id="${big.body.id}"] .progress`, { hasText: `${BIG_FILES}/${BIG_FILES} files` }).waitFor(WAIT);
    });

    it('filters the logs by a date range and downloads them as CSV and JSON', async () => {
        await show('logs');
        const yesterday = new Date(Date.now() - 86400_000).toISOString().slice(0, 10);
        await page.getByLabel('From (UTC day)').fill(yesterday);
        await page.getByLabel('To (UTC day)').fill(yesterday);
        await page.getByRole('button', { name: 'Show' }).click();
        await page.locator('td.empty', { hasText: 'No records match.' }).waitFor(WAIT);

        await page.getByLabel('From (UTC day)').fill(today);
        await page.getByLabel('To (UTC day)').fill(today);
        await page.getByLabel('Action').selectOption('Backup');
        await page.getByLabel('Status').selectOption('FAILED');
        await page.getByRole('button', { name: 'Show' }).click();
        await page.locator('tr[data-log-id]', { hasText: 'no-such-folder' }).waitFor(WAIT);
        const rows = page.locator('tr[data-log-id]');
        assert.ok(await rows.count() >= 1);
        for (const text of await rows.allTextContents()) assert.match(text, /BackupFAILED/);
        await shot('logs');

        const [csv] = await Promise.all([page.waitForEvent('download', WAIT),
            page.getByRole('button', { name: 'Download CSV' }).click()]);
        const csvText = readFileSync(await csv.path(), 'utf8');
        const lines = csvText.trimEnd().split('\r\n');
        assert.equal(lines[0], 'id,at,action,status,folder,job_id,message,client_address');
        assert.ok(lines.length >= 2 && lines.slice(1).every((line) => line.includes(',Backup,FAILED,')));
        const [json] = await Promise.all([page.waitForEvent('download', WAIT),
            page.getByRole('button', { name: 'Download JSON' }).click()]);
        const records = JSON.parse(readFileSync(await json.path(), 'utf8'));
        assert.equal(records.length, lines.length - 1);
        assert.ok(records.every((r) => r.action === 'Backup' && r.status === 'FAILED' && r.at.startsWith(today)));
        assert.ok(!browser.requests.some((url) => url.includes(TOKEN)), 'the token never appears in a URL');
    });

    it('browses a snapshot, downloads a file, restores, pins, refuses to delete pinned, verifies', async () => {
        await show('snapshots');
        await page.getByLabel('Folder').fill('docs');
        await page.getByRole('button', { name: 'Show' }).click();
        const docs = (await daemon.api('GET', '/api/v1/snapshots?folder=docs')).body.snapshots;
        assert.equal(docs.length, 1);
        const id = String(docs[0].id);
        await waitCount(page.locator('tr[data-snapshot-id]'), 1);
        await page.locator(`tr[data-snapshot-id="${id}"]`).waitFor(WAIT);

        await page.getByRole('button', { name: `Browse snapshot ${id}` }).click();
        await page.locator('tr[data-entry="a.txt"]').waitFor(WAIT);
        await page.getByRole('button', { name: 'sub/' }).click();
        await page.locator('tr[data-entry="b.txt"]').waitFor(WAIT);
        const [download] = await Promise.all([page.waitForEvent('download', WAIT),
            page.getByRole('button', { name: 'Download b.txt' }).click()]);
        assert.equal(download.suggestedFilename(), 'b.txt');
        assert.equal(readFileSync(await download.path(), 'utf8'), 'bytes of b, downloaded through the dashboard\n');
        await shot('snapshots');

        await page.getByLabel('Target (under the restore root)').fill('from-ui');
        await page.getByRole('button', { name: 'Restore', exact: true }).click();
        await page.locator('.job-line[data-state="succeeded"]', { hasText: /^Restore job \d+: succeeded$/ }).waitFor(WAIT);
        assert.equal(readFileSync(join(daemon.dirs.rst, 'from-ui/a.txt'), 'utf8'), 'hello from docs\n');
        assert.equal(readFileSync(join(daemon.dirs.rst, 'from-ui/sub/b.txt'), 'utf8'),
            'bytes of b, downloaded through the dashboard\n');

        await page.getByRole('button', { name: `Pin snapshot ${id}` }).click();
        await page.locator(`tr[data-snapshot-id="${id}"] .badge.pinned`).waitFor(WAIT);
        page.once('dialog', (dialog) => dialog.accept());
        await page.getByRole('button', { name: `Delete snapshot ${id}` }).click();
        const pinned = await daemon.api('DELETE', `/api/v1/snapshots/${id}`);
        assert.equal(pinned.body.error.code, 'snapshot_pinned');
        await page.locator('.messages .error', { hasText: pinned.body.error.message }).waitFor(WAIT);
        await page.getByRole('button', { name: `Unpin snapshot ${id}` }).click();
        await page.locator(`tr[data-snapshot-id="${id}"]:not(:has(.badge.pinned))`).waitFor(WAIT);

        await page.getByRole('button', { name: `Verify snapshot ${id}` }).click();
        await page.locator('.job-line[data-state="succeeded"]', { hasText: /^Verify job \d+: succeeded$/ }).waitFor(WAIT);
        assert.ok(existsSync(join(daemon.dirs.rst, 'from-ui')));
    });

    it('creates, edits, runs and previews the pruning of a plan', async () => {
        await show('plans');
        await page.getByLabel('Name').fill('docs-nightly');
        await page.getByLabel('Folder').fill('docs');
        await page.getByLabel('Schedule (cron or @every)').fill('0 3 * * *');
        await page.getByLabel('keep last').fill('1');
        await page.getByRole('button', { name: 'Create plan' }).click();
        const row = page.locator('tr[data-plan="docs-nightly"]');
        await row.waitFor(WAIT);
        const plan = (await daemon.api('GET', '/api/v1/plans/docs-nightly')).body;
        assert.equal(plan.schedule, '0 3 * * *');
        assert.deepEqual(plan.retention, { keep_last: 1 });
        assert.match(await row.textContent(), /never run/);
        assert.equal(await row.locator('.badge.overdue').count(), 0);

        await page.getByRole('button', { name: 'Edit docs-nightly' }).click();
        await page.getByLabel('Schedule (cron or @every)').fill('every day');
        await page.getByRole('button', { name: 'Save plan' }).click();
        const bad = await daemon.api('PUT', '/api/v1/plans/docs-nightly', { folder: 'docs', schedule: 'every day' });
        assert.equal(bad.status, 400);
        await page.locator('.messages .error', { hasText: bad.body.error.message }).waitFor(WAIT);
        await page.getByLabel('Schedule (cron or @every)').fill('@every 1h');
        await page.getByRole('button', { name: 'Save plan' }).click();
        await page.locator('tr[data-plan="docs-nightly"]', { hasText: '@every 1h (UTC)' }).waitFor(WAIT);

        await page.getByRole('button', { name: 'Run docs-nightly now' }).click();
        await page.locator('.job-line[data-state="succeeded"]', { hasText: /^Backup job \d+: succeeded$/ }).waitFor(WAIT);
        await page.locator('tr[data-plan="docs-nightly"] .badge.state-succeeded').waitFor(WAIT);

        await page.getByRole('button', { name: 'Prune preview of docs-nightly' }).click();
        const decisions = page.locator('section.panel tr[data-snapshot-id]');
        await decisions.first().waitFor(WAIT);
        const preview = (await daemon.api('POST', '/api/v1/plans/docs-nightly/prune?dry_run=true')).body;
        assert.equal(await decisions.count(), preview.snapshots.length);
        assert.ok(preview.snapshots.length >= 1, 'the run made a snapshot');
        const first = decisions.first();
        assert.ok((await first.textContent()).includes(preview.snapshots[0].reasons[0]),
            'the newest snapshot shows the reason it is kept');
        assert.equal(await page.locator('section.panel .badge.drop').count(),
            preview.snapshots.filter((s) => !s.keep).length);
        assert.ok(!(await page.locator('main section.panel').first().textContent()).includes('null'));
        await shot('plans');
    });

    it('fits a narrow screen', async () => {
        await page.setViewportSize({ width: 390, height: 800 });
        await show('overview');
        await page.locator('#stat-total').waitFor(WAIT);
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        assert.ok(overflow <= 0, `the page scrolls sideways by ${overflow}px`);
        await shot('overview-narrow');
        await page.setViewportSize({ width: 1280, height: 800 });
    });

    it('logged no console errors, page errors or CSP violations on any screen', () => {
        // 4xx answers the test provoked on purpose (the wrong token, the pinned delete, the bad
        // schedule) are logged by Chromium as failed loads; anything else is a fault.
        const faults = browser.problems.filter((text) =>
            !/^console error: Failed to load resource: the server responded with a status of (400|401|409)/.test(text));
        assert.deepEqual(faults, []);
    });

    it('never put the token in a URL on any screen (downloads, restore and plans included)', () => {
        assert.ok(browser.requests.length > 0);
        assert.ok(!browser.requests.some((url) => url.includes(TOKEN)), 'the token appeared in a URL');
    });
});
