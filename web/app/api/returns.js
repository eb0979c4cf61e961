// Return tickets (SPEC §3.8; biller, admin): open, fill by scanning, commit or cancel.
import { get as getJson, post, del, query, seg } from '../api.js';

// GET /api/v1/returns?status (SPEC §3.8): {returns}, newest first.
export const list = (params) => getJson('/api/v1/returns' + query(params));
// GET /api/v1/returns/{code} (SPEC §3.8): the ticket and its bags.
export const get = (code) => getJson(`/api/v1/returns/${seg(code)}`);
// POST /api/v1/returns (SPEC §3.8): {code, note, area?}; the new ticket.
export const create = (body) => post('/api/v1/returns', body);
// DELETE /api/v1/returns/{code}/bags/{parent} (SPEC §3.8): takes a bag off an open ticket.
export const removeBag = (code, bag) => del(`/api/v1/returns/${seg(code)}/bags/${seg(bag)}`);
// POST /api/v1/returns/{code}/commit (SPEC §3.8): every bag of the ticket comes off its bill.
export const commit = (code) => post(`/api/v1/returns/${seg(code)}/commit`);
// POST /api/v1/returns/{code}/cancel (SPEC §3.8): the ticket changes no more; its bags stay.
export const cancel = (code) => post(`/api/v1/returns/${seg(code)}/cancel`);

// POST /api/v1/returns/{code}/bags (SPEC §3.8): a parent bag scanned onto a ticket, as the request
// the scan queue keeps and sends later ({method, path, body}).
export const addBagRequest = (code, bag, clientScanId) => ({
  method: 'POST',
  path: `/api/v1/returns/${seg(code)}/bags`,
  body: { code: bag, client_scan_id: clientScanId },
});
