// Settings (SPEC §4; admin): every setting with its description, unit and default, and changes.
import { get, patch } from '../api.js';

// GET /api/v1/settings/catalog (SPEC §4): {settings: [{key, value, default, unit, description}]}.
export const catalog = () => get('/api/v1/settings/catalog');
// PATCH /api/v1/settings?dry_run=1 (SPEC §4): the checks of a change, nothing stored.
export const check = (changes) => patch('/api/v1/settings?dry_run=1', changes);
// PATCH /api/v1/settings (SPEC §4): stores every change or none.
export const update = (changes) => patch('/api/v1/settings', changes);
