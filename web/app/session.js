// Who is signed in, and what the scan screens need to know (SPEC §4 GET /auth/me): the user, the
// session's CSRF token, the scan settings (parent kinds with their patterns, capacity) and who may
// do what (the server's permission table, src/domain/permissions.cpp).
import { errorOf, setCsrfToken, onSessionExpired, onSecondFactorRequired } from './api.js';
import * as authApi from './api/auth.js';
import { createStore } from './store.js';

// state: 'loading' | 'signed_in' | 'signed_out'; expired: a call found the session gone while
// signed in (the page decides whether to send the user to /login or sign in on the spot);
// setupRequired: an administrator who must set up two-factor sign-in before any other page works.
export const session = createStore({
  state: 'loading', user: null, scan: null, permissions: {}, expired: false, setupRequired: false,
});

onSessionExpired(() => {
  if (session.get().state === 'signed_in') session.set((s) => ({ ...s, expired: true }));
});

// The setting can be turned on while an administrator is signed in: their next call is refused,
// and reading the session again sends them to the set-up.
onSecondFactorRequired(() => {
  if (session.get().state === 'signed_in') loadSession().catch(() => {});
});

// The last session seen, without its token: a page opened while the box cannot be reached shows
// the scan screen and its waiting scans (the token is read again when the box answers).
const LAST_KEY = 'tt.session.last';

function signedIn(me) {
  setCsrfToken(me.csrf_token);
  session.set({
    state: 'signed_in', user: me.user, scan: me.scan, permissions: me.permissions || {}, expired: false, offline: false,
    setupRequired: me.second_factor_setup_required === true,
  });
  localStorage.setItem(LAST_KEY, JSON.stringify({ user: me.user, scan: me.scan, permissions: me.permissions }));
  return me;
}

function signedOut() {
  setCsrfToken('');
  localStorage.removeItem(LAST_KEY);
  session.set({ state: 'signed_out', user: null, scan: null, permissions: {}, expired: false, setupRequired: false });
}

// Reads the session from the server: signed in, or signed out (401). Without an answer, the last
// session seen on this device, marked offline; other failures throw.
export async function loadSession() {
  let answer;
  try {
    answer = await authApi.meAnswer({ timeoutMs: 8000 });
  } catch (e) {
    const last = JSON.parse(localStorage.getItem(LAST_KEY) || 'null');
    if (!e.unreachable || !last) throw e;
    session.set({
      state: 'signed_in', user: last.user, scan: last.scan, permissions: last.permissions || {}, expired: false,
      offline: true, setupRequired: false,
    });
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

// Signs in; throws ApiError with the server's message (wrong password, locked out, ...). For an
// account with two-factor sign-in the password is not enough: returns {challenge}, to be answered
// with signInSecondFactor.
export async function signIn(username, password) {
  const result = await authApi.login(username, password);
  if (result.challenge) return { challenge: result.challenge };
  setCsrfToken(result.csrf_token);
  return signedIn(await authApi.me());
}

// The second step: proof is {code} (from the authenticator app) or {recovery_code}. Throws
// ApiError: invalid_credentials (a wrong or used code: try again), challenge_expired (start again
// with the password), too_many_attempts.
export async function signInSecondFactor(challenge, proof) {
  const result = await authApi.loginSecondFactor(challenge, proof);
  setCsrfToken(result.csrf_token);
  return signedIn(await authApi.me());
}

export async function signOut() {
  try {
    await authApi.logout();
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

// The roles that may use a permission ("bags.transfer"), as the server's table says.
export function rolesFor(permission, state = session.get()) {
  return (state.permissions && state.permissions[permission]) || [];
}

// Whether the signed-in user may use a permission: pages show a control or a page only then (the
// server refuses the call anyway).
export function may(permission, state = session.get()) {
  return Boolean(state.user) && rolesFor(permission, state).includes(state.user.role);
}
