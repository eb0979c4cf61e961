// /admin/audit (SPEC §1, §4): every change of state, newest first, with who, when, what and the
// values before and after; filtered by user, action, what was changed and date range. The filters
// are in the address, so a view can be bookmarked.
import { html, useEffect, useState, useLoad, Pager } from '../../ui.js';
import { query } from '../../api.js';
import * as auditApi from '../../api/audit.js';
import * as exportsApi from '../../api/exports.js';
import { navigate, queryParams } from '../../router.js';
import { title, LoadError } from '../../frame.js';
import { when, word, summary } from '../../format.js';

const FIELDS = ['user', 'action', 'entity', 'key', 'from', 'to'];
const PER_PAGE = 100;

export function AuditPage({ search }) {
  const params = queryParams(search);
  const page = Math.max(1, Number(params.page) || 1);
  const [values, setValues] = useState({});
  const filters = Object.fromEntries(FIELDS.map((f) => [f, params[f]]));
  const { data: result, error, reload: load } = useLoad(
    () => auditApi.list({ ...filters, page, per_page: PER_PAGE }),
    [search],
  );
  useEffect(() => {
    title('Audit log');
    setValues(Object.fromEntries(FIELDS.map((f) => [f, params[f] || ''])));
  }, [search]);
  // Every action the log may hold, as the server lists it beside the entries; the last list read
  // stays while another page of entries loads.
  const actions = (result && result.actions) || [];
  // And every entity an entry can be about; until the first answer, the one asked for.
  const entities = (result && result.entities) || (params.entity ? [params.entity] : []);
  const go = (changes) => navigate('/admin/audit' + query({ ...Object.fromEntries(FIELDS.map((f) => [f, params[f]])), ...changes }));
  const bind = (name) => ({ name, value: values[name] || '', onInput: (e) => setValues({ ...values, [name]: e.target.value }) });
  return html`<section class="admin-page">
    <h1>Audit log</h1>
    <form class="search-form" onSubmit=${(e) => {
      e.preventDefault();
      go({ ...Object.fromEntries(FIELDS.map((f) => [f, (values[f] || '').trim()])), page: undefined });
    }}>
      <label>User <input ...${bind('user')} autocomplete="off" /></label>
      <label>Action <input ...${bind('action')} list="audit-actions" autocomplete="off" placeholder="e.g. relink" /></label>
      <datalist id="audit-actions">
        ${actions.map((a) => html`<option key=${a} value=${a} />`)}
      </datalist>
      <label>Of <select data-testid="audit-entity" ...${bind('entity')} onChange=${bind('entity').onInput}>
        <option value="">Anything</option>
        ${entities.map((e) => html`<option key=${e} value=${e}>${e}</option>`)}
      </select></label>
      <label>Code or name <input ...${bind('key')} autocomplete="off" /></label>
      <label>From <input type="date" ...${bind('from')} /></label>
      <label>to <input type="date" ...${bind('to')} /></label>
      <button type="submit" class="primary">Show</button>
    </form>
    <p class="exports"><a href=${exportsApi.auditCsvUrl({ from: params.from, to: params.to })} download
       data-testid="export-audit" title="Every entry of the dates chosen">Download as CSV</a></p>
    ${error && html`<${LoadError} error=${error} retry=${load} />`}
    ${result &&
    html`${result.entries.length === 0 && html`<p class="hint">No entry matches.</p>`}
      <div class="table-wrap"><table class="cards audit" data-testid="audit">
        <thead><tr><th>When</th><th>Who</th><th>Action</th><th>Of</th><th>Before</th><th>After</th><th>From</th></tr></thead>
        <tbody>
          ${result.entries.map(
            (e) => html`<tr key=${e.id} data-action=${e.action}>
              <td data-label="When">${when(e.at)}</td>
              <td data-label="Who">${e.user || '–'}</td>
              <td data-label="Action">${word(e.action)}</td>
              <td data-label="Of">${e.entity}${e.key ? html` <span class="code">${e.key}</span>` : ''}</td>
              <td data-label="Before"><${Value} v=${e.before} /></td>
              <td data-label="After"><${Value} v=${e.after} /></td>
              <td data-label="From">${e.client || '–'}</td>
            </tr>`,
          )}
        </tbody>
      </table></div>
      <${Pager} page=${page} hasMore=${result.entries.length === PER_PAGE} go=${go} label="Pages of the audit log" />`}
  </section>`;
}

// A before/after value: its summary, and the whole value on demand.
function Value({ v }) {
  if (v === null || v === undefined) return '–';
  const text = summary(v);
  if (typeof v !== 'object' || text.length < 80) return text;
  return html`<details><summary>${text.slice(0, 77)}…</summary><pre>${JSON.stringify(v, null, 2)}</pre></details>`;
}
