// Sites (SPEC §8; admin, head office): the depots that push to it, each with a sync token shown once.
import { get, post, del, seg } from '../api.js';

// GET /api/v1/sites (SPEC §8): {sites: [{id, name, areas, token, last_push_at, cursor, ...}]}.
export const list = () => get('/api/v1/sites');
// POST /api/v1/sites {name, areas} (SPEC §8): {site, token}; the token is shown this once.
export const create = (body) => post('/api/v1/sites', body);
// POST /api/v1/sites/{id}/token: {site, token}, a new token; the old one stops working.
export const rotate = (id) => post(`/api/v1/sites/${seg(id)}/token`, {});
// DELETE /api/v1/sites/{id}/token: {site}; the site can no longer push until a new token.
export const revoke = (id) => del(`/api/v1/sites/${seg(id)}/token`);
