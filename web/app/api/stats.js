// Dashboard figures (SPEC §3.6): always the server's, read again when events say something changed.
import { get as getJson, query } from '../api.js';

// GET /api/v1/stats?site= (SPEC §3.6): totals, scans in 24 h, scans per hour, per area and per
// user; at head office, of the rows that came from one site (SPEC §8).
export const get = (site) => getJson('/api/v1/stats' + query({ site }));
