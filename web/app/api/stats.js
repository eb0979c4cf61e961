// Dashboard figures (SPEC §3.6): always the server's, read again when events say something changed.
import { get as getJson } from '../api.js';

// GET /api/v1/stats (SPEC §3.6): totals, scans in 24 h, scans per hour, per area and per user.
export const get = () => getJson('/api/v1/stats');
