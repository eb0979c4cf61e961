// /import (SPEC §3.7, §7; admin): load a list of parent,child pairs prepared elsewhere. The file is
// checked first — every row with the rules of a scan, nothing applied — and its refused rows shown
// with their line and the reason in words; then the administrator applies every row (only if none
// is refused: all or nothing) or the rows that pass, or nothing. Codes are shown as text, never as
// markup.
import { html, useEffect, useState, useLoad } from '../ui.js';
import * as areasApi from '../api/areas.js';
import * as exportsApi from '../api/exports.js';
import * as importsApi from '../api/imports.js';
import { title } from '../frame.js';

const COLUMNS = 'parent, child — and optionally bill, bill_capacity, bill_description, bill_destination, bill_vehicle';

function Progress({ sent, total, working }) {
  const percent = total ? Math.round((sent / total) * 100) : 0;
  return html`<div class="upload-progress" data-testid="import-progress" role="status">
    <progress max="100" value=${working ? undefined : percent}></progress>
    <span>${working ? 'Checking the rows…' : `Sending the file: ${percent}%`}</span>
  </div>`;
}

function Counts({ report }) {
  const figure = (name, value, testid) =>
    html`<div class="figure" data-testid=${testid}><div class="value">${value}</div><div class="name">${name}</div></div>`;
  return html`<div class="figures" data-testid="import-counts">
    ${figure('Rows', report.rows, 'count-rows')}
    ${figure(report.applied ? 'Applied' : 'To apply', report.changed, 'count-changed')}
    ${figure('Already so', report.unchanged, 'count-unchanged')}
    ${figure('Refused', report.rejected, 'count-refused')}
  </div>`;
}

function Refused({ report }) {
  if (!report.rejected) return null;
  const more = report.rejected - report.rejections.length;
  return html`<div class="table-wrap">
    <table class="cards" data-testid="import-refused">
      <caption>Refused rows</caption>
      <thead><tr><th>Line</th><th>Parent</th><th>Child</th><th>Bill</th><th>Why</th></tr></thead>
      <tbody>
        ${report.rejections.map(
          (r) => html`<tr key=${r.line}>
            <td data-label="Line">${r.line}</td>
            <td data-label="Parent"><code>${r.parent}</code></td>
            <td data-label="Child"><code>${r.child}</code></td>
            <td data-label="Bill"><code>${r.bill}</code></td>
            <td data-label="Why">${r.message}</td>
          </tr>`,
        )}
      </tbody>
    </table>
    ${more > 0 && html`<p>… and ${more} more refused rows (the first ${report.rejections.length} are shown).</p>`}
  </div>`;
}

function Applied({ report }) {
  const c = report.created;
  const what = `${c.parents} parent bags and ${c.children} child bags created, ${report.links} links made, ` +
    `${c.bills} bills created, ${report.bill_adds} parents put on bills.`;
  return html`<p class="banner ok" role="status" data-testid="import-applied">
    <span>Imported: ${what} <a href="/admin/audit">The audit log</a> records the import.</span>
  </p>`;
}

export function ImportPage() {
  const [file, setFile] = useState(null);
  const [area, setArea] = useState('');
  const [phase, setPhase] = useState('idle'); // idle | sending | working
  const [progress, setProgress] = useState({ sent: 0, total: 0 });
  const [checked, setChecked] = useState(null);  // the report of the check
  const [applied, setApplied] = useState(null);  // the report of the import
  const [error, setError] = useState('');
  const { data: areas } = useLoad(() => areasApi.list());
  useEffect(() => title('Import'), []);

  const send = async (mode) => {
    setError('');
    setPhase('sending');
    setProgress({ sent: 0, total: file.size });
    try {
      const report = await importsApi.links(file, { mode, area }, {
        onProgress: (sent, total) => {
          setProgress({ sent, total });
          if (sent >= total) setPhase('working');
        },
      });
      if (mode === 'check') setChecked(report);
      else setApplied(report);
    } catch (err) {
      // An all-or-nothing import with refused rows answers with the report: show it.
      if (err.body && err.body.report) setChecked(err.body.report);
      setError(err.message);
    } finally {
      setPhase('idle');
    }
  };
  const choose = (e) => {
    setFile(e.target.files[0] || null);
    setChecked(null);
    setApplied(null);
    setError('');
  };
  const busy = phase !== 'idle';
  const valid = checked ? checked.changed + checked.unchanged : 0;

  return html`<section class="import-page">
    <h1>Import bags</h1>
    <p class="notice">
      ${`A CSV file whose first line names its columns: ${COLUMNS}. Each row puts a child bag into a parent bag ` +
      '(and the parent onto a bill), checked with the same rules as a scan; nothing is applied until you have ' +
      'seen the check. At most 100,000 rows. The file of '}
      <a href=${exportsApi.linksCsvUrl()} download>Export links</a>${' has this shape.'}
    </p>
    <form class="inline-form panel" onSubmit=${(e) => { e.preventDefault(); send('check'); }} data-testid="import-form">
      <label>File <input type="file" name="file" accept=".csv,text/csv" onChange=${choose} required /></label>
      <label>Area of new bags
        <select name="area" value=${area} onChange=${(e) => setArea(e.target.value)}>
          <option value="">No area</option>
          ${areas && areas.areas.map((a) => html`<option key=${a.id} value=${a.name}>${a.name}</option>`)}
        </select>
      </label>
      <button type="submit" class="primary" disabled=${!file || busy}>Check the file</button>
    </form>
    ${busy && html`<${Progress} sent=${progress.sent} total=${progress.total} working=${phase === 'working'} />`}
    ${error && html`<p class="error" role="alert" data-testid="import-error">${error}</p>`}
    ${applied && html`<${Applied} report=${applied} />`}
    ${checked && !applied &&
    html`<div class="panel" data-testid="import-report">
      <h2>${checked.rejected ? 'Some rows are refused' : 'Every row can be applied'}</h2>
      <${Counts} report=${checked} />
      <${Refused} report=${checked} />
      <div class="actions">
        ${checked.rejected === 0
          ? html`<button class="primary" disabled=${busy} onClick=${() => send('all')} data-testid="apply-all">
              Apply all ${checked.rows} rows</button>`
          : html`<button class="primary" disabled=${busy || valid === 0} onClick=${() => send('valid')} data-testid="apply-valid">
                Apply the ${valid} valid rows</button>
              <button disabled=${busy} onClick=${() => setChecked(null)} data-testid="apply-nothing">
                Apply nothing (fix the file first)</button>`}
      </div>
    </div>`}
  </section>`;
}
