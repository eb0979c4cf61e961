// /bills (SPEC §3.4): bills with their status and figures, searchable by code, a page at a time;
// billers and administrators create bills here.
import { html, useEffect, useState, useLoad, Pager } from '../ui.js';
import { query } from '../api.js';
import * as billsApi from '../api/bills.js';
import * as exportsApi from '../api/exports.js';
import { navigate, queryParams } from '../router.js';
import { title, LoadError } from '../frame.js';
import { may } from '../session.js';
import { kg, when } from '../format.js';
import { billHref } from '../components/links.js';
import { BillFields, billBody } from '../components/bill-fields.js';

const PER_PAGE = 50;

export function BillsPage({ search, session }) {
  const params = queryParams(search);
  const page = Math.max(1, Number(params.page) || 1);
  const [q, setQ] = useState(params.q || '');
  const [status, setStatus] = useState(params.status || '');
  const mayCreate = may('bills.edit', session);
  const { data: result, error, reload: load } = useLoad(
    () => billsApi.list({ q: params.q, status: params.status, page, per_page: PER_PAGE }),
    [search],
  );
  useEffect(() => {
    title('Bills');
    setQ(params.q || '');
    setStatus(params.status || '');
  }, [search]);
  const go = (changes) => navigate('/bills' + query({ q: params.q, status: params.status, ...changes }));

  return html`<section class="bills-page">
    <h1>Bills</h1>
    ${mayCreate && html`<${NewBill} />`}
    <form class="search-form" onSubmit=${(e) => {
      e.preventDefault();
      go({ q: q.trim(), status, page: undefined });
    }}>
      <label>Bill code or its beginning
        <input name="q" value=${q} onInput=${(e) => setQ(e.target.value)} autocomplete="off" spellcheck="false" />
      </label>
      <label>Status
        <select name="status" value=${status} onChange=${(e) => setStatus(e.target.value)}>
          <option value="">Any</option>
          <option value="open">Open</option>
          <option value="completed">Completed</option>
        </select>
      </label>
      <button type="submit" class="primary">Show</button>
    </form>
    <p class="exports"><a href=${exportsApi.billsCsvUrl({ status: params.status })} download
       data-testid="export-bills" title="Every bill of the status chosen, with its figures">Download as CSV</a></p>
    ${error && html`<${LoadError} error=${error} retry=${load} />`}
    ${result &&
    html`${result.bills.length === 0 && html`<p class="hint">No bill matches.</p>`}
      <div class="table-wrap">
        <table class="cards" data-testid="bills">
          <thead><tr><th>Bill</th><th>Status</th><th>Destination</th><th>Parents</th><th>Children</th>
            <th>Weight</th><th>Variance</th><th>Created</th></tr></thead>
          <tbody>
            ${result.bills.map(
              (b) => html`<tr key=${b.code} data-code=${b.code}>
                <td data-label="Bill"><a class="code" href=${billHref(b.code)}>${b.code}</a><div class="hint">${b.description}</div></td>
                <td data-label="Status"><span class=${'tag status-' + b.status}>${b.status}</span></td>
                <td data-label="Destination">${b.destination || '–'}</td>
                <td data-label="Parents">${b.parent_count}/${b.capacity}</td>
                <td data-label="Children">${b.child_count}</td>
                <td data-label="Weight">${kg(b.actual_weight_kg)} of ${kg(b.expected_weight_kg)}</td>
                <td data-label="Variance">${kg(b.variance_kg)}</td>
                <td data-label="Created">${when(b.created_at)}${b.created_by ? ' by ' + b.created_by : ''}</td>
              </tr>`,
            )}
          </tbody>
        </table>
      </div>
      <${Pager} page=${page} hasMore=${result.has_more} go=${go} label="Pages of bills" />`}
  </section>`;
}

function NewBill() {
  const [open, setOpen] = useState(false);
  const [values, setValues] = useState({ capacity: 20 });
  const [error, setError] = useState('');
  if (!open) return html`<button type="button" class="primary" onClick=${() => setOpen(true)}>New bill</button>`;
  const submit = async (e) => {
    e.preventDefault();
    setError('');
    try {
      const body = billBody(values, true);
      if (!body.destination) delete body.destination;
      if (!body.vehicle) delete body.vehicle;
      const bill = await billsApi.create(body);
      navigate(billHref(bill.code));
    } catch (err) {
      setError(err.message);
    }
  };
  return html`<form class="panel form-grid" onSubmit=${submit} data-testid="new-bill">
    <h2>New bill</h2>
    <${BillFields} values=${values} set=${setValues} withCode=${true} />
    ${error && html`<p class="error" role="alert">${error}</p>`}
    <div class="actions">
      <button type="submit" class="primary">Create the bill</button>
      <button type="button" onClick=${() => setOpen(false)}>Cancel</button>
    </div>
  </form>`;
}
