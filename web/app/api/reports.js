// Reports (SPEC §3.7; biller, admin): the daily scan report and the bills summary, each with its
// CSV file, in the depot's days (SPEC §3.5).
import { get, query } from '../api.js';

// GET /api/v1/reports/scans?date&area (SPEC §3.7): one day's scans by outcome, hour, user, area.
export const scans = (params) => get('/api/v1/reports/scans' + query(params));
// GET /api/v1/reports/scans.csv?date&area (SPEC §3.7): the same day, for a download link.
export const scansCsvUrl = (params) => '/api/v1/reports/scans.csv' + query(params);
// GET /api/v1/reports/bills?from&to&area (SPEC §3.7): bills created and completed day by day.
export const bills = (params) => get('/api/v1/reports/bills' + query(params));
// GET /api/v1/reports/bills.csv?from&to&area (SPEC §3.7): the range's bills, for a download link.
export const billsCsvUrl = (params) => '/api/v1/reports/bills.csv' + query(params);
