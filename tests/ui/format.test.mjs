// Unit tests of the dashboard's pure helpers (web/*.js without DOM): node --test.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ageSeconds, formatBytes, formatDuration, formatRate, formatTime, percent, successRate }
    from '../../web/format.js';
import { csvField, toCsv } from '../../web/csv.js';
import { buildQuery } from '../../web/query.js';

test('formatBytes uses binary units with one decimal below ten', () => {
    assert.equal(formatBytes(0), '0 B');
    assert.equal(formatBytes(1023), '1023 B');
    assert.equal(formatBytes(1536), '1.5 KiB');
    assert.equal(formatBytes(10 * 1024 * 1024), '10 MiB');
    assert.equal(formatBytes(5 * 1024 ** 4), '5.0 TiB');
    assert.equal(formatBytes(null), '—');
});

test('formatDuration picks the two largest units', () => {
    assert.equal(formatDuration(45), '45s');
    assert.equal(formatDuration(185), '3m 05s');
    assert.equal(formatDuration(2 * 3600 + 3 * 60 + 59), '2h 03m');
    assert.equal(formatDuration(4 * 86400 + 7 * 3600), '4d 07h');
    assert.equal(formatDuration(null), '—');
    assert.equal(formatDuration(-1), '—');
});

test('formatRate and percent handle unknown totals', () => {
    assert.equal(formatRate(2 * 1024 * 1024), '2.0 MiB/s');
    assert.equal(formatRate(null), '—');
    assert.equal(percent(5, 10), 50);
    assert.equal(percent(11, 10), 100);
    assert.equal(percent(3, null), null);
    assert.equal(percent(0, 0), null);
});

test('formatTime shows UTC and ageSeconds never goes negative', () => {
    assert.equal(formatTime('2026-12-01T14:03:07.123Z'), '2026-12-01 14:03:07 UTC');
    assert.equal(formatTime(null), '—');
    const now = Date.parse('2026-12-01T00:01:00Z');
    assert.equal(ageSeconds('2026-12-01T00:00:00Z', now), 60);
    assert.equal(ageSeconds('2026-12-01T00:02:00Z', now), 0);
    assert.equal(ageSeconds(null, now), null);
});

test('successRate counts succeeded among succeeded and failed', () => {
    assert.equal(successRate(0, 0), '—');
    assert.equal(successRate(3, 0), '100%');
    assert.equal(successRate(39, 1), '97.5%');
    assert.equal(successRate(0, 2), '0%');
    assert.equal(successRate(1, 1), '50%');
});

test('csv quotes commas, quotes and newlines, and writes a header line', () => {
    assert.equal(csvField('plain'), 'plain');
    assert.equal(csvField('a,b'), '"a,b"');
    assert.equal(csvField('say "hi"'), '"say ""hi"""');
    assert.equal(csvField('two\nlines'), '"two\nlines"');
    assert.equal(csvField(null), '');
    // Text a spreadsheet would run as a formula is defused; numbers (a negative id) are not.
    assert.equal(csvField('=HYPERLINK("http://x")'), '"\'=HYPERLINK(""http://x"")"');
    assert.equal(csvField('+1'), "'+1");
    assert.equal(csvField('@sum'), "'@sum");
    assert.equal(csvField('-x'), "'-x");
    assert.equal(csvField(-5), '-5');
    const text = toCsv([{ id: 1, message: 'ok, done', job_id: null }], ['id', 'message', 'job_id']);
    assert.equal(text, 'id,message,job_id\r\n1,"ok, done",\r\n');
});

test('buildQuery leaves out empty filters', () => {
    assert.equal(buildQuery({ state: 'queued', folder: '', kind: null, limit: 25 }), '?state=queued&limit=25');
    assert.equal(buildQuery({}), '');
    assert.equal(buildQuery({ folder: 'a b&c' }), '?folder=a+b%26c');
});
