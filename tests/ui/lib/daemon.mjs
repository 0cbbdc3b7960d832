// The real daemon for the UI tests: build/bin/backupd on SQLite, its own temp directory (source,
// backup and restore roots), a free port chosen by the daemon (--port-file) and a token file, so
// the dashboard's sign-in is exercised. stop() sends SIGTERM and waits; the directory is removed.
import { spawn } from 'node:child_process';
import { mkdtempSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

export const TOKEN = 'ui-test-token-0123456789';

/** Writes files {relativePath: content} under dir. */
export function writeTree(dir, files) {
    const made = new Set();
    for (const [relative, content] of Object.entries(files)) {
        const path = join(dir, relative);
        const parent = join(path, '..');
        if (!made.has(parent)) {
            mkdirSync(parent, { recursive: true });
            made.add(parent);
        }
        writeFileSync(path, content);
    }
}

export async function startDaemon(bin, extraArgs = []) {
    const work = mkdtempSync(join(tmpdir(), 'backupd-ui-'));
    const dirs = { work, src: join(work, 'src'), dst: join(work, 'dst'), rst: join(work, 'restores') };
    for (const dir of [dirs.src, dirs.dst, dirs.rst]) mkdirSync(dir);
    writeFileSync(join(work, 'tokens'), `# the UI test's token\n${TOKEN}\n`);
    const portFile = join(work, 'port');
    const log = openSync(join(work, 'serve.log'), 'a');
    const child = spawn(bin, ['serve', '--listen', '127.0.0.1:0', '--port-file', portFile,
        '--database', `sqlite:${join(work, 'backupd.db')}`, '--source-root', dirs.src,
        '--backup-root', dirs.dst, '--restore-root', dirs.rst,
        '--api-token-file', join(work, 'tokens'), ...extraArgs], { stdio: ['ignore', log, log] });
    let exited = null;
    child.on('exit', (code, signal) => { exited = { code, signal }; });
    const deadline = Date.now() + 30_000;
    while (!existsSync(portFile) || readFileSync(portFile, 'utf8').trim() === '') {
        if (exited) throw new Error(`the daemon exited at start: ${readFileSync(join(work, 'serve.log'), 'utf8')}`);
        if (Date.now() > deadline) throw new Error('the daemon did not write its port within 30 s');
        await sleep(50);
    }
    const base = `http://${readFileSync(portFile, 'utf8').trim()}`;

    /** An API call from the test itself (setup and cross-checks), with the token. */
    async function api(method, path, body) {
        const response = await fetch(base + path, {
            method,
            headers: { Authorization: `Bearer ${TOKEN}`,
                ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
            body: body === undefined ? undefined : JSON.stringify(body),
        });
        const text = await response.text();
        return { status: response.status, body: text ? JSON.parse(text) : null };
    }

    /** Polls the job until it has ended (30 s at most); returns it. */
    async function waitJob(id, seconds = 30) {
        const end = Date.now() + seconds * 1000;
        for (;;) {
            const { body } = await api('GET', `/api/v1/jobs/${id}`);
            if (!['queued', 'running'].includes(body.state)) return body;
            if (Date.now() > end) throw new Error(`job ${id} still ${body.state} after ${seconds} s`);
            await sleep(100);
        }
    }

    async function stop() {
        if (!exited) {
            child.kill('SIGTERM');
            const end = Date.now() + 30_000;
            while (!exited && Date.now() < end) await sleep(50);
            if (!exited) child.kill('SIGKILL');
        }
        rmSync(work, { recursive: true, force: true });
        return exited;
    }

    return { base, dirs, api, waitJob, stop, log: () => readFileSync(join(work, 'serve.log'), 'utf8') };
}
