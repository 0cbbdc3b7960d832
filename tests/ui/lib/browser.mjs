// Debian's Chromium driven by playwright-core (never a tool's own browser download): headless,
// a fresh user data directory, and the flags that keep it from reaching for a network the
// machine does not have. Every console error, page error and CSP violation is collected, so a
// test can assert there were none.
import { chromium } from 'playwright-core';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync',
    '--disable-dev-shm-usage'];

export async function launch({ width = 1280, height = 800 } = {}) {
    const userDataDir = mkdtempSync(join(tmpdir(), 'backupd-ui-chromium-'));
    const context = await chromium.launchPersistentContext(userDataDir, {
        executablePath: CHROMIUM, headless: true, args: ARGS, acceptDownloads: true,
        viewport: { width, height },
    });
    const page = context.pages()[0] || await context.newPage();
    const problems = [];
    const requests = [];
    page.on('console', (message) => {
        if (message.type() === 'error' || message.type() === 'warning') {
            problems.push(`console ${message.type()}: ${message.text()}`);
        }
    });
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    page.on('request', (request) => requests.push(request.url()));
    // A CSP violation is reported to the page as an event as well as on the console.
    await page.addInitScript(() => {
        document.addEventListener('securitypolicyviolation', (event) => {
            console.error(`CSP violation: ${event.violatedDirective} ${event.blockedURI}`);
        });
    });
    return {
        context, page, problems, requests,
        async close() {
            await context.close();
            rmSync(userDataDir, { recursive: true, force: true });
        },
    };
}
