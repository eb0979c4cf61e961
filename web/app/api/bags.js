// Bags (SPEC §3.3, §3.5, §4): a bag's trace, the search, and the corrections of its links.
import { get as getJson, post, del, query, seg } from '../api.js';

// GET /api/v1/bags/{code} (SPEC §3.5): the bag, its parent or children, bill and history.
export const get = (code) => getJson(`/api/v1/bags/${seg(code)}`);
// GET /api/v1/bags?q&type&area&from&to&page&per_page (SPEC §3.5): {bags, has_more}.
export const search = (params) => getJson('/api/v1/bags' + query(params));
// POST /api/v1/bags/{code}/relink (SPEC §3.3): moves a child into another parent.
export const relink = (code, parent) => post(`/api/v1/bags/${seg(code)}/relink`, { parent });
// DELETE /api/v1/bags/{code}/link (SPEC §3.3): takes a child out of its parent.
export const unlink = (code) => del(`/api/v1/bags/${seg(code)}/link`);
// POST /api/v1/bags/{code}/area (SPEC §3.3; billers, admins): moves a parent bag and its children to
// another dispatch area: {code, from, to, children, moved}.
export const transfer = (code, area) => post(`/api/v1/bags/${seg(code)}/area`, { area });
// DELETE /api/v1/bags/{code} (SPEC §4; admin): deletes a bag; its children are freed.
export const remove = (code) => del(`/api/v1/bags/${seg(code)}`);
