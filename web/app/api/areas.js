// Dispatch areas (SPEC §1, §4): a user's area must be one of them.
import { get, post } from '../api.js';

// GET /api/v1/areas (SPEC §4): {areas: [{id, name, created_at}]}.
export const list = () => get('/api/v1/areas');
// POST /api/v1/areas (SPEC §4; admin): a new area.
export const create = (name) => post('/api/v1/areas', { name });
