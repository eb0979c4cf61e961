// Calls to the TraceTrack API (SPEC §4) from the browser: JSON in and out, the session cookie sent
// by the browser, and the CSRF token of the session on every write.
//
// Every failure is an ApiError with a status (0 when the server could not be reached) and the
// server's error code and message, so pages show the server's words.

let csrfToken = '';

export function setCsrfToken(token) {
  csrfToken = token || '';
}

// The header a write sends (upload.js sends files with it).
export function csrfHeaders() {
  return csrfToken ? { 'X-CSRF-Token': csrfToken } : {};
}

export class ApiError extends Error {
  constructor(status, code, message, retryAfter) {
    super(message);
    this.status = status;        // HTTP status, or 0: no answer (network down, timeout)
    this.code = code;            // SPEC §4 error code, or 'unreachable' / 'timeout'
    this.retryAfter = retryAfter; // seconds, from Retry-After, when given
  }
  get unreachable() {
    return this.status === 0;
  }
}

// Listeners told when a call finds the session gone (401): the frame then asks to sign in again.
const expiryListeners = new Set();
export function onSessionExpired(fn) {
  expiryListeners.add(fn);
  return () => expiryListeners.delete(fn);
}

// Listeners told when a call is refused because the session must set up a second factor first
// (an administrator, once the setting requires one): the session is read again and says so.
const secondFactorListeners = new Set();
export function onSecondFactorRequired(fn) {
  secondFactorListeners.add(fn);
  return () => secondFactorListeners.delete(fn);
}

// fetch() with a timeout: an unreachable depot box must not hang a page.
async function timedFetch(url, options, timeoutMs) {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  try {
    return await fetch(url, { ...options, signal: controller.signal });
  } catch (e) {
    if (e.name === 'AbortError') throw new ApiError(0, 'timeout', 'The server did not answer in time.');
    throw new ApiError(0, 'unreachable', 'The server cannot be reached.');
  } finally {
    clearTimeout(timer);
  }
}

// Sends one request; returns {status, body} for any HTTP answer, throws ApiError(0) without one.
export async function send(method, path, body, { timeoutMs = 15000 } = {}) {
  const headers = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET' && method !== 'HEAD' && csrfToken) headers['X-CSRF-Token'] = csrfToken;
  const res = await timedFetch(
    path,
    { method, headers, body: body === undefined ? undefined : JSON.stringify(body), credentials: 'same-origin' },
    timeoutMs,
  );
  let parsed = null;
  const text = await res.text().catch(() => '');
  if (text) {
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = null;
    }
  }
  return { status: res.status, body: parsed, retryAfter: Number(res.headers.get('Retry-After')) || undefined };
}

// The error an answer carries, in the SPEC §4 shape, as an ApiError.
export function errorOf(answer) {
  const e = answer.body && answer.body.error;
  if (e && e.code) return new ApiError(answer.status, e.code, e.message || e.code, answer.retryAfter);
  return new ApiError(answer.status, 'http_' + answer.status, `The server answered ${answer.status}.`, answer.retryAfter);
}

// Calls the API and returns the JSON body of a 2xx answer; throws ApiError otherwise. A 401 on a
// call made while signed in tells the expiry listeners.
export async function api(method, path, body, options) {
  const answer = await send(method, path, body, options);
  if (answer.status >= 200 && answer.status < 300) return answer.body;
  const error = errorOf(answer);
  if (answer.status === 401 && !path.startsWith('/api/v1/auth/login')) {
    for (const fn of expiryListeners) fn(error);
  }
  if (answer.status === 403 && error.code === 'second_factor_required') {
    for (const fn of secondFactorListeners) fn(error);
  }
  throw error;
}

export const get = (path, options) => api('GET', path, undefined, options);
export const post = (path, body, options) => api('POST', path, body === undefined ? {} : body, options);
export const del = (path, options) => api('DELETE', path, undefined, options);
export const patch = (path, body, options) => api('PATCH', path, body, options);

// Builds a query string from an object, leaving out empty values.
export function query(params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
  }
  const s = q.toString();
  return s ? '?' + s : '';
}

// A path segment for a code: any printable ASCII is a valid bag code, '/' and '?' included.
export const seg = (code) => encodeURIComponent(code);
