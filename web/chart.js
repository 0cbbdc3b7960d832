// The overview's 30-day chart: successes stacked on failures per day, drawn as SVG by script
// (no inline style: colours come from classes in app.css). chartBars() is the pure geometry,
// tested with node; renderChart() turns it into elements.

const SVG = 'http://www.w3.org/2000/svg';

/**
 * Bars for days [{date, succeeded, failed}] in a width x height box with `pad` pixels for the
 * axis labels: per day {date, x, width, succeeded: {y, height}, failed: {y, height}} with
 * failures at the bottom; max is the tallest day's total (at least 1, so an empty range draws
 * flat bars rather than dividing by zero).
 */
export function chartBars(days, width, height, pad = 24) {
    const max = Math.max(1, ...days.map((day) => (day.succeeded || 0) + (day.failed || 0)));
    const plotHeight = height - pad;
    const slot = days.length ? (width - pad) / days.length : 0;
    const barWidth = Math.max(1, slot * 0.7);
    const bars = days.map((day, index) => {
        const failedHeight = ((day.failed || 0) / max) * plotHeight;
        const succeededHeight = ((day.succeeded || 0) / max) * plotHeight;
        const x = pad + index * slot + (slot - barWidth) / 2;
        return {
            date: day.date,
            x,
            width: barWidth,
            failed: { y: plotHeight - failedHeight, height: failedHeight },
            succeeded: { y: plotHeight - failedHeight - succeededHeight, height: succeededHeight },
        };
    });
    return { max, bars, plotHeight };
}

function svg(tag, attributes, text) {
    const element = document.createElementNS(SVG, tag);
    for (const [key, value] of Object.entries(attributes)) element.setAttribute(key, String(value));
    if (text !== undefined) element.textContent = text;
    return element;
}

/** An <svg> of the days, with a <title> per bar naming the day and its counts. */
export function renderChart(days, width = 720, height = 200) {
    const { max, bars, plotHeight } = chartBars(days, width, height);
    const root = svg('svg', {
        viewBox: `0 0 ${width} ${height}`, class: 'chart', role: 'img',
        'aria-label': `Backups per day, ${days.length} days: successes and failures`,
    });
    root.append(svg('line', { x1: 24, y1: plotHeight, x2: width, y2: plotHeight, class: 'axis' }));
    root.append(svg('text', { x: 0, y: 12, class: 'axis-label' }, String(max)));
    root.append(svg('text', { x: 0, y: plotHeight, class: 'axis-label' }, '0'));
    bars.forEach((bar, index) => {
        const day = days[index];
        const group = svg('g', { class: 'day', 'data-date': day.date });
        group.append(svg('title', {},
            `${day.date}: ${day.succeeded || 0} succeeded, ${day.failed || 0} failed`));
        group.append(svg('rect', { x: bar.x, y: bar.succeeded.y, width: bar.width,
            height: bar.succeeded.height, class: 'bar-succeeded' }));
        group.append(svg('rect', { x: bar.x, y: bar.failed.y, width: bar.width,
            height: bar.failed.height, class: 'bar-failed' }));
        if ((bars.length - 1 - index) % 7 === 0) { // the last day, then every week back
            const last = index === bars.length - 1; // anchored at its end, so it stays inside
            group.append(svg('text', { x: last ? bar.x + bar.width : bar.x, y: height - 6,
                class: 'axis-label', 'text-anchor': last ? 'end' : 'start' },
                day.date.slice(5)));
        }
        root.append(group);
    });
    return root;
}
