// /bags/{code}: a bag's trace (SPEC §3.5): type, area, its parent or its children (n/30), its bill,
// its weight, and its whole scan and audit history, newest first.
import { html, useEffect, useState, useLoad } from '../ui.js';
import * as areasApi from '../api/areas.js';
import * as bagsApi from '../api/bags.js';
import { navigate } from '../router.js';
import { title, LoadError } from '../frame.js';
import { may } from '../session.js';
import { when, kg, word, summary } from '../format.js';
import { ConfirmButton } from '../confirm.js';
import { bagHref, billHref } from '../components/links.js';
import { Disputes } from '../components/disputes.js';

export function BagPage({ params, session }) {
  const code = params.code;
  const { data: bag, error, reload: load } = useLoad(() => bagsApi.get(code), [code]);
  useEffect(() => title(code), [code]);

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
    <${Disputes} disputes=${bag.disputes} />
    <dl class="facts">
      <dt>Area</dt><dd>${bag.area || '–'}</dd>
      <dt>Created</dt><dd>${when(bag.created_at)}${bag.created_by ? ' by ' + bag.created_by : ''}</dd>
      ${!isParent &&
      html`<dt>Parent</dt>
        <dd data-testid="bag-parent">${bag.parent
          ? html`<a href=${bagHref(bag.parent.code)}>${bag.parent.code}</a> since ${when(bag.parent.linked_at)}`
          : 'in no parent bag'}</dd>`}
      <dt>Bill</dt><dd data-testid="bag-bill">${bag.bill
        ? html`<a href=${billHref(bag.bill.code)}>${bag.bill.code}</a> (${bag.bill.status})`
        : 'on no bill'}</dd>
      <dt>Weight</dt><dd>${kg(bag.weight_kg)}${isParent ? ` (expected ${kg(bag.expected_weight_kg)})` : ''}</dd>
    </dl>
    <${Corrections} bag=${bag} session=${session} reload=${load} />
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

// Moving a child to another parent (relink), freeing it (unlink), moving a parent and its children
// to another dispatch area, and deleting a bag (SPEC §3.3), each for whom the server's permission
// table allows. The server applies the rules and the areas; refusals show in words.
function Corrections({ bag, session, reload }) {
  const [parent, setParent] = useState('');
  const [area, setArea] = useState('');
  const [error, setError] = useState('');
  const [done, setDone] = useState('');
  const run = async (fn, text) => {
    setError('');
    setDone('');
    try {
      await fn();
      // The page shows the bag as it is now before it says the change is done.
      await reload();
      setDone(text);
    } catch (e) {
      setError(e.message);
    }
  };
  const relink = (e) => {
    e.preventDefault();
    const target = parent.trim().toUpperCase();
    run(() => bagsApi.relink(bag.code, target), `${bag.code} is now in ${target}.`).then(() => setParent(''));
  };
  const transfer = (e) => {
    e.preventDefault();
    run(() => bagsApi.transfer(bag.code, area), `${bag.code} and its children are now in ${area}.`).then(() => setArea(''));
  };
  const child = bag.type === 'child';
  const mayDelete = may('bags.delete', session);
  const mayTransfer = !child && may('bags.transfer', session);
  const { data: areas } = useLoad(() => (mayTransfer ? areasApi.list() : Promise.resolve(null)), [mayTransfer]);
  if (!child && !mayDelete && !mayTransfer) return null;
  return html`<section class="corrections" aria-label="Corrections">
    ${child &&
    html`<form class="inline-form" onSubmit=${relink} data-testid="relink">
        <label>${bag.parent ? 'Move to another parent bag' : 'Put into a parent bag'}
          <input name="parent" value=${parent} onInput=${(e) => setParent(e.target.value)} required autocomplete="off"
                 autocapitalize="characters" spellcheck="false" placeholder="parent code, e.g. SB12345" /></label>
        <button type="submit" class="primary">${bag.parent ? 'Relink' : 'Link'}</button>
      </form>
      ${bag.parent &&
      html`<${ConfirmButton} label="Take it out of its parent" testid="unlink" question=${`Take ${bag.code} out of ${bag.parent.code}?`}
          consequence="It stays a bag of its own, in no parent." confirmLabel="Take it out"
          onConfirm=${() => run(() => bagsApi.unlink(bag.code), `${bag.code} is in no parent now.`)} />`}`}
    ${mayTransfer &&
    html`<form class="inline-form" onSubmit=${transfer} data-testid="transfer">
        <label>Move it and its children to the area
          <select name="area" value=${area} onChange=${(e) => setArea(e.target.value)} required>
            <option value="">Choose an area…</option>
            ${(areas ? areas.areas : []).filter((a) => a.name !== bag.area).map(
              (a) => html`<option key=${a.name} value=${a.name}>${a.name}</option>`,
            )}
          </select></label>
        <button type="submit" class="primary">Move</button>
      </form>`}
    ${mayDelete &&
    html`<${ConfirmButton} label="Delete this bag" className="danger" testid="delete-bag" question=${`Delete ${bag.code}?`}
        consequence=${bag.type === 'parent' ? 'Its children are freed, not deleted; its history stays in the logs.' : 'Its history stays in the logs.'}
        confirmLabel="Delete the bag" onConfirm=${async () => {
          await bagsApi.remove(bag.code);
          navigate('/search');
        }} />`}
    ${done && html`<p class="banner ok" role="status" data-testid="correction-done">${done}</p>`}
    ${error && html`<p class="error" role="alert" data-testid="correction-error">${error}</p>`}
  </section>`;
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
    <td data-label="Who">${e.user || '–'}${e.site && html`<span class="site" data-testid="history-site"> at ${e.site}</span>`}</td>
    <td data-label="What">${word(e.action)}</td>
    <td data-label="Details">${details}</td>
  </tr>`;
}
