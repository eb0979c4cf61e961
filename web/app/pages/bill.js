// /bills/{code} (SPEC §3.4): a bill and its figures (parents, children, actual and expected weight,
// variance: the server's, read again after every change), filled by scanning parent bags with the
// same always-ready field and queue as the scan screen; remove a parent, edit, complete, reopen
// (admin), delete (admin), the parents returned from it (return tickets), and the printable bill
// report.
import { html, useEffect, useState, useStore, useLoad, actionsOf } from '../ui.js';
import * as billsApi from '../api/bills.js';
import { navigate } from '../router.js';
import { title, LoadError } from '../frame.js';
import { may } from '../session.js';
import { kg, when } from '../format.js';
import { Disputes } from '../components/disputes.js';
import { ConfirmButton } from '../confirm.js';
import { scannerFor } from '../scan/scanner.js';
import { ScanInput } from '../scan/scan-input.js';
import { ScanRows } from '../scan/scan-rows.js';
import { CameraScan } from '../scan/camera.js';
import { bagHref, returnHref } from '../components/links.js';
import { BillFields, billBody } from '../components/bill-fields.js';

export function BillPage({ params, session: s }) {
  const code = params.code;
  const { data: bill, error: loadError, reload: load } = useLoad(() => billsApi.get(code), [code]);
  const [failure, setFailure] = useState(null);  // of the last action
  const error = failure || loadError;
  const [editing, setEditing] = useState(false);
  const scanner = scannerFor(s.user, s.scan);
  const q = useStore(scanner.queue);
  const billing = may('bills.edit', s);
  const mayReopen = may('bills.reopen', s);
  const mayDelete = may('bills.delete', s);

  useEffect(() => title(code), [code]);
  // The figures are the server's: read them again whenever a scan onto this bill is answered.
  const mine = q.rows.filter((r) => r.kind === 'bill_parent' && bill && r.bill === bill.code);
  const answered = mine.filter((r) => r.state === 'done').length;
  useEffect(() => {
    if (answered) load();
  }, [answered]);

  if (error && error.status === 404 && !bill) {
    return html`<section class="notice" data-testid="bill-not-found">
      <h1>No bill ${code}</h1><p>There is no bill with this code that you can see.</p><p><a href="/bills">All bills</a></p>
    </section>`;
  }
  if (!bill) return error ? html`<${LoadError} error=${error} retry=${load} />` : html`<p class="loading">Loading ${code}…</p>`;

  const open = bill.status === 'open';
  const act = actionsOf(load, setFailure);
  const waiting = mine.filter((r) => r.state !== 'done').length;

  return html`<article class="bill" data-testid="bill">
    <header class="bill-head">
      <p class="print-only report-title">Bill report</p>
      <h1><span class="code" data-testid="bill-code">${bill.code}</span>
        <span class=${'tag status-' + bill.status} data-testid="bill-status">${bill.status}</span></h1>
      <${Disputes} disputes=${bill.disputes} />
      <dl class="facts">
        <dt>Description</dt><dd>${bill.description || '–'}</dd>
        <dt>Destination</dt><dd>${bill.destination || '–'}</dd>
        <dt>Vehicle</dt><dd>${bill.vehicle || '–'}</dd>
        <dt>Area</dt><dd>${bill.area || '–'}</dd>
        <dt>Created</dt><dd>${when(bill.created_at)}${bill.created_by ? ' by ' + bill.created_by : ''}</dd>
        ${bill.completed_at && html`<dt>Completed</dt><dd>${when(bill.completed_at)}</dd>`}
      </dl>
    </header>
    ${error && html`<${LoadError} error=${error} />`}
    <div class="figures bill-figures">
      <${Figure} name="Parent bags" value=${`${bill.parent_count}/${bill.capacity}`} id="parents" />
      <${Figure} name="Child bags" value=${bill.child_count} id="children" />
      <${Figure} name="Actual weight" value=${kg(bill.actual_weight_kg)} id="actual" />
      <${Figure} name="Expected weight" value=${kg(bill.expected_weight_kg)} id="expected" />
      <${Figure} name="Variance" value=${kg(bill.variance_kg)} id="variance" />
    </div>
    ${billing && open &&
    html`<section class="no-print fill" aria-label="Fill the bill">
      <${ScanInput} label=${`Scan parent bags onto ${bill.code}`} onCode=${(c) => scanner.scanOntoBill(bill.code, c)?.id}>
        <${CameraScan} onCode=${(c) => scanner.scanOntoBill(bill.code, c)} />
      <//>
      ${waiting > 0 && html`<p class="queue-status warn" data-testid="bill-waiting">${waiting} waiting to be sent</p>`}
      <${ScanRows} rows=${mine} what="parent" testid="bill-scans" />
    </section>`}
    ${billing && !open && html`<p class="hint no-print">This bill is completed: its parents and their bags cannot change${mayReopen ? ' until it is reopened' : ''}.</p>`}
    <section>
      <h2>Parent bags (${bill.parents.length})</h2>
      <div class="table-wrap">
        <table class="cards report-table" data-testid="bill-parent-table">
          <thead><tr><th>#</th><th>Parent bag</th><th>Kind</th><th>Children</th><th>Weight</th><th>Expected</th><th>Added</th>
            ${billing && open && html`<th class="no-print"></th>`}</tr></thead>
          <tbody>
            ${bill.parents.map(
              (p, i) => html`<tr key=${p.code} data-code=${p.code}>
                <td data-label="#">${i + 1}</td>
                <td data-label="Parent bag"><a class="code" href=${bagHref(p.code)}>${p.code}</a></td>
                <td data-label="Kind">${p.kind}</td>
                <td data-label="Children">${p.child_count}</td>
                <td data-label="Weight">${kg(p.weight_kg)}</td>
                <td data-label="Expected">${kg(p.expected_weight_kg)}</td>
                <td data-label="Added">${when(p.added_at)}${p.added_by ? ' by ' + p.added_by : ''}</td>
                ${billing && open &&
                html`<td class="no-print"><${ConfirmButton} label="Remove" testid=${'remove-' + p.code}
                  question=${`Take ${p.code} off this bill?`} consequence="The bag itself and its children stay as they are."
                  confirmLabel="Take it off" onConfirm=${act(() => billsApi.removeParent(bill.code, p.code))} /></td>`}
              </tr>`,
            )}
          </tbody>
          <tfoot>
            <tr><td colspan="3">Totals</td><td>${bill.child_count}</td><td>${kg(bill.actual_weight_kg)}</td>
              <td>${kg(bill.expected_weight_kg)}</td><td>variance ${kg(bill.variance_kg)}</td>
              ${billing && open && html`<td class="no-print"></td>`}</tr>
          </tfoot>
        </table>
      </div>
    </section>
    ${bill.returns && bill.returns.length > 0 &&
    html`<section data-testid="bill-returns">
      <h2>Returned (${bill.returns.length})</h2>
      <div class="table-wrap">
        <table class="cards">
          <thead><tr><th>Parent bag</th><th>Children</th><th>Weight</th><th>Return ticket</th><th>Returned</th></tr></thead>
          <tbody>
            ${bill.returns.map(
              (r) => html`<tr key=${r.ticket + ' ' + r.parent}>
                <td data-label="Parent bag"><a class="code" href=${bagHref(r.parent)}>${r.parent}</a></td>
                <td data-label="Children">${r.child_count}</td>
                <td data-label="Weight">${kg(r.weight_kg)}</td>
                <td data-label="Return ticket"><a class="code" href=${returnHref(r.ticket)}>${r.ticket}</a></td>
                <td data-label="Returned">${r.at ? when(r.at) : '–'}${r.by ? ' by ' + r.by : ''}</td>
              </tr>`,
            )}
          </tbody>
        </table>
      </div>
    </section>`}
    <div class="signatures print-only">
      <div>Loaded by</div><div>Checked by</div><div>Driver</div>
      <p class="hint">Printed ${when(new Date().toISOString())} from TraceTrack.</p>
    </div>
    <div class="actions no-print">
      <button type="button" onClick=${() => print()} data-testid="print">Print bill report</button>
      <a class="button" href=${billsApi.reportCsvUrl(bill.code)} download data-testid="report-csv">Bill report as CSV</a>
      ${billing && open && html`<button type="button" class="primary" data-testid="complete"
        onClick=${act(() => billsApi.complete(bill.code))}>Complete the bill</button>`}
      ${mayReopen && !open && html`<button type="button" data-testid="reopen"
        onClick=${act(() => billsApi.reopen(bill.code))}>Reopen the bill</button>`}
      ${billing && html`<button type="button" data-testid="edit" onClick=${() => setEditing(!editing)}>Edit details</button>`}
      ${mayDelete && html`<${ConfirmButton} label="Delete the bill" className="danger" testid="delete"
        question=${`Delete bill ${bill.code}?`}
        consequence="Its parent bags are taken off it and stay, with their children; the bill cannot be brought back."
        confirmLabel="Delete the bill" onConfirm=${async () => {
          await billsApi.remove(bill.code);
          navigate('/bills');
        }} />`}
    </div>
    ${editing && html`<${EditBill} bill=${bill} done=${() => {
      setEditing(false);
      load();
    }} />`}
  </article>`;
}

function Figure({ name, value, id }) {
  return html`<div class="figure" data-testid=${'bill-' + id}><div class="value">${value}</div><div class="name">${name}</div></div>`;
}

function EditBill({ bill, done }) {
  const [values, setValues] = useState({
    description: bill.description,
    destination: bill.destination || '',
    vehicle: bill.vehicle || '',
    capacity: bill.capacity,
  });
  const [error, setError] = useState('');
  const submit = async (e) => {
    e.preventDefault();
    try {
      await billsApi.update(bill.code, billBody(values, false));
      done();
    } catch (err) {
      setError(err.message);
    }
  };
  return html`<form class="panel form-grid no-print" onSubmit=${submit} data-testid="edit-bill" data-own-focus>
    <h2>Edit ${bill.code}</h2>
    <${BillFields} values=${values} set=${setValues} withCode=${false} />
    ${error && html`<p class="error" role="alert">${error}</p>`}
    <div class="actions"><button type="submit" class="primary">Save</button><button type="button" onClick=${done}>Cancel</button></div>
  </form>`;
}
