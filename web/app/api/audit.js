// The audit log (SPEC §1, §4; admin): every change of state, newest first. Its CSV file is in
// exports.js with the other downloads.
import { get, query } from '../api.js';

// GET /api/v1/audit?user&action&entity&key&from&to&page&per_page (SPEC §4): {entries, page,
// per_page, actions, entities}; every action the log may hold and every entity an entry can be
// about, for the page's filters.
export const list = (params) => get('/api/v1/audit' + query(params));
