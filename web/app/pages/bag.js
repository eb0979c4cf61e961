// /bags/{code}: a bag's trace (SPEC §3.5): type, area, its parent or its children (n/30), its bill,
// its weight, and its whole scan and audit history, newest first.
import { html, useEffect, useState } from '../ui.js';
import { get, seg } from '../api.js';
import { bagHref } from '../router.js';
import { title, LoadError } from '../frame.js';
import { when, kg, word, summary } from '../format.js';

export function BagPage({ params }) {
  const code = params.code;
  const [bag, setBag] = useState(null);
  const [error, setError] = useState(null);
  const load = async () => {
    setError(null);
    try {
      setBag(await get(`/api/v1/bags/${seg(code)}`));
    } catch (e) {
      setError(e);
    }
  };
  useEffect(() => {
    title(code);
    load();
  }, [code]);

  if (error && error.status === 404) {
    return html`<section class="notice" data-testid="bag-not-found">
      <h1>No bag ${code}</h1>
      <p>There is no bag with the code <code>${code}</code> that you can see.</p>
      <p><a href="/search">Search for a bag</a></p>
    </section>`;
  }
  if (error) return html`<${LoadError} error=${error} retry=${load} />`;
  if (!bag) return html`<p class="loading">Loading ${code}…</p>`;

  const isParent = bag.type === 'parent';
  const history = bag.history;  // newest first, as the server sends it
  return html`<article class="bag" data-testid="bag">
    <h1><span class="code" data-testid="bag-code">${bag.code}</span>
      <span class="tag">${isParent ? `parent bag${bag.kind ? ' ' + bag.kind : ''}` : 'child bag'}</span>
      ${isParent && html`<span class="tag">${word(bag.status)}</span>`}</h1>
    <dl class="facts">
      <dt>Area</dt><dd>${bag.area || '–'}</dd>
      <dt>Created</dt><dd>${when(bag.created_at)}${bag.created_by ? ' by ' + bag.created_by : ''}</dd>
      ${!isParent &&
      html`<dt>Parent</dt>
        <dd data-testid="bag-parent">${bag.parent
          ? html`<a href=${bagHref(bag.parent.code)}>${bag.parent.code}</a> since ${when(bag.parent.linked_at)}`
          : 'in no parent bag'}</dd>`}
      <dt>Bill</dt><dd data-testid="bag-bill">${bag.bill ? html`${bag.bill.code} (${bag.bill.status})` : 'on no bill'}</dd>
      <dt>Weight</dt><dd>${kg(bag.weight_kg)}${isParent ? ` (expected ${kg(bag.expected_weight_kg)})` : ''}</dd>
    </dl>
    ${isParent &&
    html`<section>
      <h2>Children <span class="count" data-testid="bag-count">${bag.child_count}/${bag.capacity}</span></h2>
      ${bag.children.length === 0 && html`<p class="hint">No children.</p>`}
      <ol class="child-list" data-testid="bag-children">
        ${bag.children.slice().reverse().map(
          (c) => html`<li key=${c.code}><a href=${bagHref(c.code)}>${c.code}</a>
            <span class="hint">${when(c.linked_at)}${c.linked_by ? ' by ' + c.linked_by : ''}</span></li>`,
        )}
      </ol>
    </section>`}
    <section>
      <h2>History</h2>
      ${history.length >= 200 && html`<p class="hint">The newest 200 entries.</p>`}
      <div class="table-wrap">
        <table class="history cards" data-testid="bag-history">
          <thead><tr><th>When</th><th>Who</th><th>What</th><th>Details</th></tr></thead>
          <tbody>
            ${history.map((e, i) => html`<${HistoryRow} key=${i} e=${e} />`)}
          </tbody>
        </table>
      </div>
    </section>
  </article>`;
}

function HistoryRow({ e }) {
  let details;
  if (e.source === 'scan') {
    const parts = [word(e.result)];
    if (e.parent) parts.push(`parent ${e.parent}`);
    if (e.bill) parts.push(`bill ${e.bill}`);
    if (e.reason) parts.push(`reason: ${word(e.reason)}`);
    details = parts.join(', ');
  } else {
    const before = summary(e.before);
    const after = summary(e.after);
    details = [before && `before: ${before}`, after && `after: ${after}`].filter(Boolean).join('; ');
  }
  return html`<tr class=${e.source === 'scan' && e.result === 'rejected' ? 'refused' : ''} data-source=${e.source}>
    <td data-label="When">${when(e.at)}</td>
    <td data-label="Who">${e.user || '–'}</td>
    <td data-label="What">${word(e.action)}</td>
    <td data-label="Details">${details}</td>
  </tr>`;
}
