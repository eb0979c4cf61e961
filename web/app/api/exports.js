// CSV files to download (SPEC §3.7): the addresses for download links, never fetched by a page.
// The browser sends the session cookie with them; the bill report and the reports' own files are
// in bills.js and reports.js.
import { query } from '../api.js';

// GET /api/v1/export/bags.csv?type&area&from&to (SPEC §3.7): every bag chosen.
export const bagsCsvUrl = (params) => '/api/v1/export/bags.csv' + query(params);
// GET /api/v1/export/bills.csv?status (SPEC §3.7): every bill of the status, with its figures.
export const billsCsvUrl = (params) => '/api/v1/export/bills.csv' + query(params);
// GET /api/v1/export/links.csv (SPEC §3.7): parent,child pairs, the shape the import reads.
export const linksCsvUrl = () => '/api/v1/export/links.csv';
// GET /api/v1/export/audit.csv?from&to (SPEC §4; admin): the audit log of the dates chosen.
export const auditCsvUrl = (params) => '/api/v1/export/audit.csv' + query(params);
