// Who is signed in, and what the scan screens need to know (SPEC §4 GET /auth/me): the user, the
// session's CSRF token and the scan settings (parent kinds with their patterns, capacity).
import { get, post, send, errorOf, setCsrfToken, onSessionExpired } from './api.js';
import { createStore } from './store.js';

// state: 'loading' | 'signed_in' | 'signed_out'; expired: a call found the session gone while
// signed in (the page decides whether to send the user to /login or sign in on the spot).
export const session = createStore({ state: 'loading', user: null, scan: null, expired: false });

onSessionExpired(() => {
  if (session.get().state === 'signed_in') session.set((s) => ({ ...s, expired: true }));
});

// The last session seen, without its token: a page opened while the box cannot be reached shows
// the scan screen and its waiting scans (the token is read again when the box answers).
const LAST_KEY = 'tt.session.last';

function signedIn(me) {
  setCsrfToken(me.csrf_token);
  session.set({ state: 'signed_in', user: me.user, scan: me.scan, expired: false, offline: false });
  localStorage.setItem(LAST_KEY, JSON.stringify({ user: me.user, scan: me.scan }));
  return me;
}

function signedOut() {
  setCsrfToken('');
  localStorage.removeItem(LAST_KEY);
  session.set({ state: 'signed_out', user: null, scan: null, expired: false });
}

// Reads the session from the server: signed in, or signed out (401). Without an answer, the last
// session seen on this device, marked offline; other failures throw.
export async function loadSession() {
  let answer;
  try {
    answer = await send('GET', '/api/v1/auth/me', undefined, { timeoutMs: 8000 });
  } catch (e) {
    const last = JSON.parse(localStorage.getItem(LAST_KEY) || 'null');
    if (!e.unreachable || !last) throw e;
    session.set({ state: 'signed_in', user: last.user, scan: last.scan, expired: false, offline: true });
    return null;
  }
  if (answer.status === 401) {
    // Signed in until now: the session ended (idle timeout, password changed). The page decides
    // whether to sign in again in place (the scan screen keeps its queue) or go to /login.
    if (session.get().state === 'signed_in') {
      setCsrfToken('');
      session.set((s) => ({ ...s, expired: true }));
    } else {
      signedOut();
    }
    return null;
  }
  if (answer.status !== 200) throw errorOf(answer);
  return signedIn(answer.body);
}

// Signs in; throws ApiError with the server's message (wrong password, locked out, ...).
export async function signIn(username, password) {
  const result = await post('/api/v1/auth/login', { username, password });
  setCsrfToken(result.csrf_token);
  return signedIn(await get('/api/v1/auth/me'));
}

export async function signOut() {
  try {
    await post('/api/v1/auth/logout');
  } finally {
    signedOut();
  }
}

// Whether a code is a parent code, by the server's parent kinds: each kind's pattern is the rule
// of src/domain/parent_kinds written as a regular expression, applied to the trimmed code
// case-insensitively (codes are upper-cased by the server).
export function isParentCode(scan, code) {
  const kinds = (scan && scan.parent_kinds) || [];
  const trimmed = code.trim();
  return kinds.some((k) => new RegExp(k.pattern, 'i').test(trimmed));
}

export const roleNames = { dispatcher: 'Dispatcher', biller: 'Biller', admin: 'Administrator' };
