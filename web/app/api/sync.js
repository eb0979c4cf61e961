// Synchronisation (SPEC §8; admin): a depot's pusher and head office's conflicts.
import { get, post, query, seg } from '../api.js';

// GET /api/v1/sync/status: {state: off|ok|retrying|blocked|diverged, reason, backlog_ops,
// oldest_unsent_at, last_success_at, last_error, last_error_at, acked_seq, upstream, site}.
export const status = () => get('/api/v1/sync/status');
// GET /api/v1/sync/conflicts?status=open: {conflicts: [{uid, kind, entity, key, site, summary, ...}]}.
export const openConflicts = () => get('/api/v1/sync/conflicts?status=open&limit=100');
// POST /api/v1/sync/retry: try again now (the token file read again, a block or backoff ended);
// 202 with the status as GET /api/v1/sync/status answers it.
export const retry = () => post('/api/v1/sync/retry');
// GET /api/v1/sync/conflicts?status=&site=&kind=&older_than_days=: {conflicts: [{uid, kind,
// entity, key, site, summary, detail, status, created_at, resolutions, resolution,
// resolution_words, resolved_by, resolved_at}]}: every site's at head office, its own at a depot.
export const conflicts = (filters) => get('/api/v1/sync/conflicts' + query({ limit: 200, ...filters }));
// POST /api/v1/sync/conflicts/{uid}/resolve {resolution} (head office): {conflict}.
export const resolve = (uid, resolution) => post(`/api/v1/sync/conflicts/${seg(uid)}/resolve`, { resolution });
