// Pure formatting helpers for the dashboard: sizes, durations, rates, times. No DOM, no fetch,
// so `node --test` covers them (tests/ui/format.test.mjs).

const BYTE_UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];

/** 1536 -> "1.5 KiB"; null/undefined/NaN -> "—". Binary units, one decimal below 10. */
export function formatBytes(bytes) {
    if (bytes === null || bytes === undefined || !Number.isFinite(Number(bytes))) return '—';
    let value = Number(bytes);
    const sign = value < 0 ? '-' : '';
    value = Math.abs(value);
    let unit = 0;
    while (value >= 1024 && unit < BYTE_UNITS.length - 1) {
        value /= 1024;
        unit += 1;
    }
    if (unit === 0) return `${sign}${value} B`;
    const digits = value < 10 ? 1 : 0;
    return `${sign}${value.toFixed(digits)} ${BYTE_UNITS[unit]}`;
}

/** Seconds -> "45s", "3m 05s", "2h 03m", "4d 07h"; negative/unknown -> "—". */
export function formatDuration(seconds) {
    if (seconds === null || seconds === undefined || !Number.isFinite(seconds) || seconds < 0) {
        return '—';
    }
    const s = Math.round(seconds);
    const pad = (n) => String(n).padStart(2, '0');
    if (s < 60) return `${s}s`;
    if (s < 3600) return `${Math.floor(s / 60)}m ${pad(s % 60)}s`;
    if (s < 86400) return `${Math.floor(s / 3600)}h ${pad(Math.floor((s % 3600) / 60))}m`;
    return `${Math.floor(s / 86400)}d ${pad(Math.floor((s % 86400) / 3600))}h`;
}

/** Bytes per second -> "1.5 MiB/s"; unknown -> "—". */
export function formatRate(bytesPerSecond) {
    if (bytesPerSecond === null || bytesPerSecond === undefined || !Number.isFinite(bytesPerSecond)) {
        return '—';
    }
    return `${formatBytes(Math.max(0, Math.round(bytesPerSecond)))}/s`;
}

/** Whole percent of done/total, clamped to 0..100; null when the total is unknown or zero. */
export function percent(done, total) {
    if (total === null || total === undefined || !(total > 0)) return null;
    return Math.max(0, Math.min(100, Math.floor((100 * done) / total)));
}

/** An RFC 3339 instant -> "2026-12-01 14:03:07 UTC" (the API's times are UTC); null -> "—". */
export function formatTime(iso) {
    if (!iso) return '—';
    const date = new Date(iso);
    if (Number.isNaN(date.getTime())) return String(iso);
    return `${date.toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

/** Seconds from an RFC 3339 instant to nowMs (never negative); null when unknown. */
export function ageSeconds(iso, nowMs) {
    if (!iso) return null;
    const then = Date.parse(iso);
    if (Number.isNaN(then)) return null;
    return Math.max(0, (nowMs - then) / 1000);
}

/** succeeded / (succeeded + failed) as "97.5%", "—" when nothing has finished either way. */
export function successRate(succeeded, failed) {
    const ended = (succeeded || 0) + (failed || 0);
    if (ended === 0) return '—';
    const rate = (100 * succeeded) / ended;
    return `${Number.isInteger(rate) ? rate.toFixed(0) : rate.toFixed(1)}%`;
}

/** A Date -> "YYYY-MM-DD" of its UTC day. */
export function utcDate(date) {
    return date.toISOString().slice(0, 10);
}
