// Bills (SPEC §3.4, §4): create, read, edit, fill, complete, reopen, delete, and the bill report.
import { get as getJson, post, patch, del, query, seg } from '../api.js';

// GET /api/v1/bills?q&status&page&per_page (SPEC §3.4): {bills, has_more}.
export const list = (params) => getJson('/api/v1/bills' + query(params));
// GET /api/v1/bills/{code} (SPEC §3.4): the bill with its parents and figures.
export const get = (code) => getJson(`/api/v1/bills/${seg(code)}`);
// POST /api/v1/bills (SPEC §3.4): {code, description, destination?, vehicle?, capacity}.
export const create = (body) => post('/api/v1/bills', body);
// PATCH /api/v1/bills/{code} (SPEC §3.4): description, destination, vehicle, capacity.
export const update = (code, body) => patch(`/api/v1/bills/${seg(code)}`, body);
// DELETE /api/v1/bills/{code} (SPEC §3.4; admin): its parents come off it and stay.
export const remove = (code) => del(`/api/v1/bills/${seg(code)}`);
// DELETE /api/v1/bills/{code}/parents/{parent} (SPEC §3.4): takes a parent bag off the bill.
export const removeParent = (code, parent) => del(`/api/v1/bills/${seg(code)}/parents/${seg(parent)}`);
// POST /api/v1/bills/{code}/complete (SPEC §3.4): locks the bill and the links of its parents.
export const complete = (code) => post(`/api/v1/bills/${seg(code)}/complete`);
// POST /api/v1/bills/{code}/reopen (SPEC §3.4; admin): opens a completed bill again.
export const reopen = (code) => post(`/api/v1/bills/${seg(code)}/reopen`);

// POST /api/v1/bills/{code}/parents (SPEC §3.4, §4): a parent scanned onto a bill, as the request
// the scan queue keeps and sends later ({method, path, body}); a resend carries the same id.
export const addParentRequest = (code, parent, clientScanId) => ({
  method: 'POST',
  path: `/api/v1/bills/${seg(code)}/parents`,
  body: { code: parent, client_scan_id: clientScanId },
});

// GET /api/v1/bills/{code}/report.csv (SPEC §3.7): the bill report, for a download link.
export const reportCsvUrl = (code) => `/api/v1/bills/${seg(code)}/report.csv`;
