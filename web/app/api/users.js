// User accounts (SPEC §3.9; admin): create, change, deactivate, reset a password or second factor.
import { get, post, patch, del, seg } from '../api.js';

// GET /api/v1/users (SPEC §3.9): {users}, deactivated ones included.
export const list = () => get('/api/v1/users');
// POST /api/v1/users (SPEC §3.9): {username, password, role, area?, email?}.
export const create = (body) => post('/api/v1/users', body);
// PATCH /api/v1/users/{username} (SPEC §3.9): role, area, email, active or a new password.
export const update = (username, body) => patch(`/api/v1/users/${seg(username)}`, body);
// DELETE /api/v1/users/{username}/second-factor (SPEC §3.9): for a lost phone.
export const resetSecondFactor = (username) => del(`/api/v1/users/${seg(username)}/second-factor`);
