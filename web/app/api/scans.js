// Scans (SPEC §3.1-§3.3, §4). A scan is sent by the scan queue, which keeps each one on the device
// as {method, path, body} until the server answers, so these build that request instead of sending
// it; client_scan_id makes a resend harmless (the server answers it with its first answer).
import { post } from '../api.js';

// POST /api/v1/scans/parent (SPEC §3.1): makes the parent current, creating it if new.
export const parentRequest = (code, clientScanId) => ({
  method: 'POST',
  path: '/api/v1/scans/parent',
  body: { code, client_scan_id: clientScanId },
});
// POST /api/v1/scans/child (SPEC §3.2): links a child into the parent named.
export const childRequest = (parent, code, clientScanId) => ({
  method: 'POST',
  path: '/api/v1/scans/child',
  body: { parent, code, client_scan_id: clientScanId },
});
// POST /api/v1/scans/undo (SPEC §3.3): undoes the caller's most recent link (within an hour).
export const undo = () => post('/api/v1/scans/undo');
