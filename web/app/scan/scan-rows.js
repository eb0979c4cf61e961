// The newest scans of a page that scans into one thing (a bill, a return ticket): each with its
// time, the code as text, and its outcome in words, coloured by tone; waiting ones say so.
import { html } from '../ui.js';

// rows: queue rows, oldest first; what: the word shown for each scan ("parent", "return").
export function ScanRows({ rows, what, testid, shown = 8 }) {
  const recent = rows.slice(-shown).reverse();
  return html`<ol class="scan-list" data-testid=${testid}>
    ${recent.map((r) => {
      const tone = r.state === 'done' ? r.outcome.tone : 'waiting';
      return html`<li key=${r.id} class=${'scan-row tone-' + tone} data-testid="scan-row" data-code=${r.code}
                      data-state=${r.state} data-tone=${tone}>
        <span class="when">${new Date(r.at).toLocaleTimeString()}</span><span class="what">${what}</span>
        <span class="code">${r.code}</span>
        <span class="outcome">${r.state === 'done' ? r.outcome.text : 'waiting to be sent'}</span>
      </li>`;
    })}
  </ol>`;
}
