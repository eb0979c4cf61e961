// Importing parent,child pairs from a CSV file (SPEC §3.7; admin), sent with upload progress.
import { query } from '../api.js';
import { uploadFile } from '../upload.js';

// POST /api/v1/import/links?mode&area&name (SPEC §3.7): mode 'check', 'all' or 'valid'; the report.
export const links = (file, { mode, area }, options) =>
  uploadFile('/api/v1/import/links' + query({ mode, area, name: file.name }), file, options);
