// Synchronisation (SPEC §8; admin): a depot's pusher and head office's conflicts.
import { get, post } from '../api.js';

// GET /api/v1/sync/status: {state: off|ok|retrying|blocked|diverged, reason, backlog_ops,
// oldest_unsent_at, last_success_at, last_error, last_error_at, acked_seq, upstream, site}.
export const status = () => get('/api/v1/sync/status');
// GET /api/v1/sync/conflicts?status=open: {conflicts: [{uid, kind, entity, key, site, summary, ...}]}.
export const openConflicts = () => get('/api/v1/sync/conflicts?status=open&limit=100');
// POST /api/v1/sync/retry: try again now (the token file read again, a block or backoff ended);
// 202 with the status as GET /api/v1/sync/status answers it.
export const retry = () => post('/api/v1/sync/retry');
