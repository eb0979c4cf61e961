// API tokens for scripts (SPEC §4; admin): a token acts as its user until revoked.
import { get, post, del, seg } from '../api.js';

// GET /api/v1/tokens (SPEC §4): {tokens}, revoked ones included.
export const list = () => get('/api/v1/tokens');
// POST /api/v1/tokens (SPEC §4): {name, username}; {token} with its secret, shown once.
export const create = (body) => post('/api/v1/tokens', body);
// DELETE /api/v1/tokens/{id} (SPEC §4): revokes a token.
export const revoke = (id) => del(`/api/v1/tokens/${seg(id)}`);
