// Pure: CSV text (RFC 4180) from records, for the logs download. No DOM, tested with node.

/**
 * One field: quoted when it holds a comma, quote, CR or LF; quotes doubled; null -> empty. Text
 * from the API that a spreadsheet would read as a formula (a folder named "=HYPERLINK(...)")
 * gets a leading apostrophe, so opening the download never runs it (OWASP "CSV injection").
 */
export function csvField(value) {
    if (value === null || value === undefined) return '';
    let text = typeof value === 'object' ? JSON.stringify(value) : String(value);
    if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
    return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** A header line of `columns`, then one line per record, CRLF-terminated as RFC 4180 says. */
export function toCsv(records, columns) {
    const lines = [columns.map(csvField).join(',')];
    for (const record of records) {
        lines.push(columns.map((column) => csvField(record[column])).join(','));
    }
    return `${lines.join('\r\n')}\r\n`;
}
