// /returns (SPEC §3.8): return tickets, newest first, by status; billers and administrators open a
// ticket here (an administrator chooses its area).
import { html, useEffect, useState, useLoad } from '../ui.js';
import { query } from '../api.js';
import * as areasApi from '../api/areas.js';
import * as returnsApi from '../api/returns.js';
import { navigate, queryParams } from '../router.js';
import { title, LoadError } from '../frame.js';
import { when } from '../format.js';
import { returnHref } from '../components/links.js';

export function ReturnsPage({ search, session }) {
  const params = queryParams(search);
  const status = params.status || '';
  const { data, error, reload: load } = useLoad(() => returnsApi.list({ status }), [search]);
  useEffect(() => title('Returns'), []);
  return html`<section class="returns-page">
    <h1>Return tickets</h1>
    <p class="notice">Parent bags a dealer sends back: open a ticket, scan the bags onto it, then commit it to take
      every bag off its bill, or cancel it.</p>
    <${NewReturn} admin=${session.user.role === 'admin'} />
    <form class="search-form" onSubmit=${(e) => e.preventDefault()}>
      <label>Status
        <select name="status" value=${status} onChange=${(e) => navigate('/returns' + query({ status: e.target.value }))}>
          <option value="">Any</option>
          <option value="open">Open</option>
          <option value="committed">Committed</option>
          <option value="cancelled">Cancelled</option>
        </select>
      </label>
    </form>
    ${error && html`<${LoadError} error=${error} retry=${load} />`}
    ${data && data.returns.length === 0 && html`<p class="hint">No return ticket${status ? ' ' + status : ''} yet.</p>`}
    ${data && data.returns.length > 0 &&
    html`<div class="table-wrap">
      <table class="cards" data-testid="returns">
        <thead><tr><th>Ticket</th><th>Status</th><th>Bags</th><th>Area</th><th>Opened</th><th>Closed</th></tr></thead>
        <tbody>
          ${data.returns.map(
            (t) => html`<tr key=${t.code} data-code=${t.code}>
              <td data-label="Ticket"><a class="code" href=${returnHref(t.code)}>${t.code}</a><div class="hint">${t.note}</div></td>
              <td data-label="Status"><span class=${'tag status-' + t.status}>${t.status}</span></td>
              <td data-label="Bags">${t.bag_count}</td>
              <td data-label="Area">${t.area || '–'}</td>
              <td data-label="Opened">${when(t.created_at)}${t.created_by ? ' by ' + t.created_by : ''}</td>
              <td data-label="Closed">${t.closed_at ? when(t.closed_at) + (t.closed_by ? ' by ' + t.closed_by : '') : '–'}</td>
            </tr>`,
          )}
        </tbody>
      </table>
    </div>`}
  </section>`;
}

function NewReturn({ admin }) {
  const [open, setOpen] = useState(false);
  const [values, setValues] = useState({ code: '', note: '', area: '' });
  const [error, setError] = useState('');
  const { data: areas } = useLoad(() => (admin && open ? areasApi.list() : Promise.resolve(null)), [admin, open]);
  if (!open) return html`<button type="button" class="primary" onClick=${() => setOpen(true)} data-testid="new-return-open">New return ticket</button>`;
  const bind = (name) => ({ name, value: values[name], onInput: (e) => setValues({ ...values, [name]: e.target.value }) });
  const submit = async (e) => {
    e.preventDefault();
    setError('');
    try {
      const body = { code: values.code.trim(), note: values.note.trim() };
      if (admin && values.area) body.area = values.area;
      const t = await returnsApi.create(body);
      navigate(returnHref(t.code));
    } catch (err) {
      setError(err.message);
    }
  };
  return html`<form class="panel form-grid" onSubmit=${submit} data-testid="new-return">
    <h2>New return ticket</h2>
    <label>Ticket code <input ...${bind('code')} required minlength="3" maxlength="50" autocomplete="off" spellcheck="false"
      placeholder="e.g. RET-2026-11-30" /></label>
    <label>Note <input ...${bind('note')} maxlength="500" placeholder="dealer, reason" /></label>
    ${admin &&
    html`<label>Area <select name="area" value=${values.area} onChange=${(e) => setValues({ ...values, area: e.target.value })}>
      <option value="">No area</option>
      ${areas && areas.areas.map((a) => html`<option key=${a.id} value=${a.name}>${a.name}</option>`)}
    </select></label>`}
    ${error && html`<p class="error" role="alert">${error}</p>`}
    <div class="actions">
      <button type="submit" class="primary">Open the ticket</button>
      <button type="button" onClick=${() => setOpen(false)}>Cancel</button>
    </div>
  </form>`;
}
