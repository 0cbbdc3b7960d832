// Pure: query strings for API calls. Empty values are left out, so an unset filter is never
// sent as `state=` (the API refuses empty enum values with 400).

/** {state: 'queued', folder: '', limit: 50} -> "?state=queued&limit=50"; nothing -> "". */
export function buildQuery(params) {
    if (!params) return '';
    const search = new URLSearchParams();
    for (const [key, value] of Object.entries(params)) {
        if (value === undefined || value === null || value === '') continue;
        search.append(key, String(value));
    }
    const text = search.toString();
    return text ? `?${text}` : '';
}
