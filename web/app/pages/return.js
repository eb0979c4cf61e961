// /returns/{code} (SPEC §3.8): one return ticket. While it is open, parent bags are scanned onto it
// with the same always-ready field and queue as the scan screen; each bag shows its bill and
// children; a mistaken one is taken off; the ticket is committed (every bag off its bill) or
// cancelled. Printable. Codes are shown as text.
import { html, useEffect, useState, useStore, useLoad, actionsOf } from '../ui.js';
import * as returnsApi from '../api/returns.js';
import { title, LoadError } from '../frame.js';
import { kg, when } from '../format.js';
import { ConfirmButton } from '../confirm.js';
import { scannerFor } from '../scan/scanner.js';
import { ScanInput } from '../scan/scan-input.js';
import { ScanRows } from '../scan/scan-rows.js';
import { CameraScan } from '../scan/camera.js';
import { bagHref, billHref } from '../components/links.js';

export function ReturnPage({ params, session: s }) {
  const code = params.code;
  const { data: ticket, error: loadError, reload: load } = useLoad(() => returnsApi.get(code), [code]);
  const [failure, setFailure] = useState(null);
  const error = failure || loadError;
  const scanner = scannerFor(s.user, s.scan);
  const q = useStore(scanner.queue);
  useEffect(() => title(code), [code]);
  const mine = q.rows.filter((r) => r.kind === 'return_bag' && ticket && r.ticket === ticket.code);
  const answered = mine.filter((r) => r.state === 'done').length;
  useEffect(() => {
    if (answered) load();
  }, [answered]);

  if (error && error.status === 404 && !ticket) {
    return html`<section class="notice" data-testid="return-not-found">
      <h1>No return ticket ${code}</h1><p>There is no return ticket with this code that you can see.</p>
      <p><a href="/returns">All return tickets</a></p></section>`;
  }
  if (!ticket) return error ? html`<${LoadError} error=${error} retry=${load} />` : html`<p class="loading">Loading ${code}…</p>`;
  const open = ticket.status === 'open';
  const act = actionsOf(load, setFailure);
  const waiting = mine.filter((r) => r.state !== 'done').length;
  const children = ticket.bags.reduce((n, b) => n + b.child_count, 0);
  const weight = ticket.bags.reduce((n, b) => n + b.weight_kg, 0);

  return html`<article class="return" data-testid="return">
    <header>
      <p class="print-only report-title">Return ticket</p>
      <h1><span class="code" data-testid="return-code">${ticket.code}</span>
        <span class=${'tag status-' + ticket.status} data-testid="return-status">${ticket.status}</span></h1>
      <dl class="facts">
        <dt>Note</dt><dd>${ticket.note || '–'}</dd>
        <dt>Area</dt><dd>${ticket.area || '–'}</dd>
        <dt>Opened</dt><dd>${when(ticket.created_at)}${ticket.created_by ? ' by ' + ticket.created_by : ''}</dd>
        ${ticket.closed_at && html`<dt>${open ? 'Closed' : ticket.status === 'committed' ? 'Committed' : 'Cancelled'}</dt>
          <dd>${when(ticket.closed_at)}${ticket.closed_by ? ' by ' + ticket.closed_by : ''}</dd>`}
      </dl>
    </header>
    ${error && html`<${LoadError} error=${error} />`}
    <div class="figures">
      <div class="figure" data-testid="return-bags"><div class="value">${ticket.bags.length}</div><div class="name">Parent bags</div></div>
      <div class="figure" data-testid="return-children"><div class="value">${children}</div><div class="name">Child bags</div></div>
      <div class="figure" data-testid="return-weight"><div class="value">${kg(weight)}</div><div class="name">Weight</div></div>
    </div>
    ${open &&
    html`<section class="no-print fill" aria-label="Scan bags onto the ticket">
      <${ScanInput} label=${`Scan parent bags onto ${ticket.code}`} onCode=${(c) => scanner.scanOntoReturn(ticket.code, c)?.id}>
        <${CameraScan} onCode=${(c) => scanner.scanOntoReturn(ticket.code, c)} />
      <//>
      ${waiting > 0 && html`<p class="queue-status warn" data-testid="return-waiting">${waiting} waiting to be sent</p>`}
      <${ScanRows} rows=${mine} what="return" testid="return-scans" />
    </section>`}
    <section>
      <h2>Parent bags (${ticket.bags.length})</h2>
      <div class="table-wrap">
        <table class="cards report-table" data-testid="return-bag-table">
          <thead><tr><th>#</th><th>Parent bag</th><th>${open ? 'On bill' : 'Returned from'}</th><th>Children</th><th>Weight</th>
            <th>Scanned</th>${open && html`<th class="no-print"></th>`}</tr></thead>
          <tbody>
            ${ticket.bags.map(
              (b, i) => html`<tr key=${b.code} data-code=${b.code}>
                <td data-label="#">${i + 1}</td>
                <td data-label="Parent bag"><a class="code" href=${bagHref(b.code)}>${b.code}</a>
                  ${b.children.length > 0 && html`<div class="hint">${b.children.join(', ')}</div>`}</td>
                <td data-label=${open ? 'On bill' : 'Returned from'}>${b.bill ? html`<a class="code" href=${billHref(b.bill)}>${b.bill}</a>` : '–'}</td>
                <td data-label="Children">${b.child_count}</td>
                <td data-label="Weight">${kg(b.weight_kg)}</td>
                <td data-label="Scanned">${when(b.added_at)}${b.added_by ? ' by ' + b.added_by : ''}</td>
                ${open &&
                html`<td class="no-print"><${ConfirmButton} label="Remove" testid=${'remove-' + b.code}
                  question=${`Take ${b.code} off this ticket?`} consequence="It stays on its bill."
                  confirmLabel="Take it off" onConfirm=${act(() => returnsApi.removeBag(ticket.code, b.code))} /></td>`}
              </tr>`,
            )}
          </tbody>
        </table>
      </div>
    </section>
    <div class="signatures print-only">
      <div>Received by</div><div>Checked by</div><div>Dealer</div>
      <p class="hint">Printed ${when(new Date().toISOString())} from TraceTrack.</p>
    </div>
    <div class="actions no-print">
      <button type="button" onClick=${() => print()} data-testid="print">Print the ticket</button>
      ${open && html`<${ConfirmButton} label="Commit the return" className="primary" testid="commit"
        question=${`Commit ${ticket.code}?`}
        consequence=${`Its ${ticket.bags.length} parent bags come off their bills; the bills' figures drop accordingly.`}
        confirmLabel="Commit" onConfirm=${act(() => returnsApi.commit(ticket.code))} />`}
      ${open && html`<${ConfirmButton} label="Cancel the ticket" testid="cancel"
        question=${`Cancel ${ticket.code}?`} consequence="Its bags stay on their bills; the ticket changes no more."
        confirmLabel="Cancel the ticket" onConfirm=${act(() => returnsApi.cancel(ticket.code))} />`}
    </div>
  </article>`;
}
