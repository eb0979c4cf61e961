// Signing in and one's own account (SPEC §3.9, §4): the session, the password, the sessions open
// elsewhere and two-factor sign-in.
import { get, post, del, send } from '../api.js';

// GET /api/v1/auth/me (SPEC §4): the user, the CSRF token and the scan settings.
export const me = () => get('/api/v1/auth/me');
// GET /api/v1/auth/me (SPEC §4) as {status, body} whatever the answer (401: signed out).
export const meAnswer = (options) => send('GET', '/api/v1/auth/me', undefined, options);
// POST /api/v1/auth/login (SPEC §4): {csrf_token, user}, or {challenge} if a second factor is due.
export const login = (username, password) => post('/api/v1/auth/login', { username, password });
// POST /api/v1/auth/login/second-factor (SPEC §3.9): proof is {code} or {recovery_code}.
export const loginSecondFactor = (challenge, proof) => post('/api/v1/auth/login/second-factor', { challenge, ...proof });
// POST /api/v1/auth/logout (SPEC §4): ends this session.
export const logout = () => post('/api/v1/auth/logout');
// POST /api/v1/auth/password (SPEC §3.9): one's own password; one's other sessions end.
export const changePassword = (oldPassword, newPassword) =>
  post('/api/v1/auth/password', { old_password: oldPassword, new_password: newPassword });
// GET /api/v1/auth/sessions (SPEC §3.9): {sessions}, the sessions one has open.
export const sessions = () => get('/api/v1/auth/sessions');
// DELETE /api/v1/auth/sessions (SPEC §3.9): ends every other session; {ended}.
export const endOtherSessions = () => del('/api/v1/auth/sessions');
// GET /api/v1/auth/second-factor (SPEC §3.9): whether it is on, since when, recovery codes left.
export const secondFactor = () => get('/api/v1/auth/second-factor');
// POST /api/v1/auth/second-factor/setup (SPEC §3.9): a new secret, {secret, qr}, not on yet.
export const setupSecondFactor = () => post('/api/v1/auth/second-factor/setup');
// POST /api/v1/auth/second-factor/enable (SPEC §3.9): a first code turns it on; {recovery_codes}.
export const enableSecondFactor = (code) => post('/api/v1/auth/second-factor/enable', { code });
// POST /api/v1/auth/second-factor/recovery-codes (SPEC §3.9): new codes replace the old ones.
export const renewRecoveryCodes = (password) => post('/api/v1/auth/second-factor/recovery-codes', { password });
// POST /api/v1/auth/second-factor/disable (SPEC §3.9): turns it off.
export const disableSecondFactor = (password) => post('/api/v1/auth/second-factor/disable', { password });
