// The one client of the JSON API (api/openapi.yaml). It adds the bearer token kept in
// sessionStorage (never a URL), parses answers, and turns an error answer into an ApiError
// carrying the API's own code and message, which the views show as they are.
import { buildQuery } from './query.js';

const TOKEN_KEY = 'backupd.token';

export class ApiError extends Error {
    constructor(status, code, message, body) {
        super(message);
        this.name = 'ApiError';
        this.status = status;
        this.code = code;
        this.body = body;
    }
}

export function getToken() {
    return sessionStorage.getItem(TOKEN_KEY) || '';
}

export function setToken(token) {
    if (token) sessionStorage.setItem(TOKEN_KEY, token);
    else sessionStorage.removeItem(TOKEN_KEY);
}

let unauthorizedHandler = () => {};

/** Called on every 401: the app shows the sign-in field. */
export function onUnauthorized(handler) {
    unauthorizedHandler = handler;
}

async function errorFrom(response) {
    let body = null;
    try {
        body = await response.json();
    } catch {
        // not JSON (a proxy's page): fall back to the status line below
    }
    const error = body && body.error;
    return new ApiError(response.status, error ? error.code : 'http_error',
        error && error.message ? error.message : `HTTP ${response.status} ${response.statusText}`,
        body);
}

/**
 * One call: method, path under the origin, {query, body}. Resolves to the parsed JSON (null
 * for 204), or the Response itself with {raw: true}; rejects with an ApiError.
 */
export async function request(method, path, { query, body, raw = false } = {}) {
    const headers = { Accept: 'application/json' };
    const token = getToken();
    if (token) headers.Authorization = `Bearer ${token}`;
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    let response;
    try {
        response = await fetch(path + buildQuery(query), {
            method, headers, cache: 'no-store',
            body: body === undefined ? undefined : JSON.stringify(body),
        });
    } catch (err) {
        throw new ApiError(0, 'unreachable', `The daemon cannot be reached (${err.message}).`);
    }
    if (!response.ok) {
        const error = await errorFrom(response);
        if (response.status === 401) unauthorizedHandler(error);
        throw error;
    }
    if (raw) return response;
    if (response.status === 204) return null;
    return response.json();
}

export const get = (path, query) => request('GET', path, { query });
export const post = (path, body, query) => request('POST', path, { body, query });
export const put = (path, body) => request('PUT', path, { body });
export const del = (path) => request('DELETE', path);

/** The answer's bytes as a Blob (fetched with the bearer header, then saved by the view). */
export async function getBlob(path, query) {
    const response = await request('GET', path, { query, raw: true });
    return response.blob();
}
