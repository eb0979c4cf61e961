// /scan: the screen a depot worker uses all day (SPEC §3.1-§3.3, §7). Scan a parent bag, then its
// children; a huge n/30 counter, every scan's outcome in words, newest first; undo; sounds.
import { html, useEffect, useLayoutEffect, useStore, useState } from '../ui.js';
import { title } from '../frame.js';
import { scannerFor } from '../scan/scanner.js';
import { ScanInput } from '../scan/scan-input.js';
import { CameraScan } from '../scan/camera.js';
import { isMuted, setMuted } from '../scan/feedback.js';
import { bagHref } from '../components/links.js';
import { SignInForm } from '../components/sign-in-form.js';
import { session } from '../session.js';

export function ScanPage({ session: s }) {
  const scanner = scannerFor(s.user, s.scan);
  const q = useStore(scanner.queue);
  const parent = useStore(scanner.parent);
  const answered = useStore(scanner.answered);
  const [muted, setMutedState] = useState(isMuted());

  useEffect(() => {
    title('Scan');
    scanner.refresh();
  }, []);
  // The session ended while signed in (idle timeout): scans keep queueing; sign in on the spot.
  useEffect(() => {
    if (s.expired) scanner.queue.update({ paused: true });
  }, [s.expired]);
  // Marks when the counter shows an answer (the latency benchmark reads the marks).
  useLayoutEffect(() => {
    if (answered) performance.mark(`scan:counted:${answered}`);
  }, [answered]);

  const waiting = q.rows.filter((r) => r.state !== 'done').length;
  const rows = q.rows.slice().reverse();
  const last = rows.find((r) => r.state === 'done');
  const toggleMute = () => {
    setMuted(!muted);
    setMutedState(!muted);
  };
  const signedInAgain = () => scanner.queue.resume();

  return html`<section class="scan-page">
    <${QueueStatus} q=${q} waiting=${waiting} />
    ${q.paused &&
    // Not focused by itself: a scanner may be firing; the worker taps the password field.
    html`<div class="signin-panel" data-own-focus>
      <${SignInForm} fixedUser=${s.user.username} onDone=${signedInAgain} autofocus=${false} />
    </div>`}
    <${ScanInput} onCode=${(code) => scanner.scan(code)?.id} label="Scan a parent bag, then its children">
      <button type="button" onClick=${() => scanner.undo()}>Undo last scan</button>
      <button type="button" class="quiet" aria-pressed=${!muted} onClick=${toggleMute}>
        ${muted ? 'Sound off' : 'Sound on'}
      </button>
      <${CameraScan} onCode=${(code) => scanner.scan(code)} />
    <//>
    <${Counter} parent=${parent} capacity=${scanner.capacity()}
                waiting=${parent ? q.rows.filter((r) => r.state !== 'done' && r.kind === 'child' && r.parent === parent.code).length : 0} />
    <${LastResult} row=${last} />
    <div class="columns">
      <section aria-labelledby="scans-title">
        <h2 id="scans-title">Scans</h2>
        ${rows.length === 0 && html`<p class="hint">Nothing scanned yet on this device.</p>`}
        <ol class="scan-list" data-testid="scan-list">
          ${rows.map((r) => html`<${ScanRow} key=${r.id} row=${r} sending=${q.sending === r.id} />`)}
        </ol>
      </section>
      <section aria-labelledby="children-title">
        <h2 id="children-title">${parent ? html`Children in ${parent.code}` : 'Children'}</h2>
        ${parent && parent.children.length === 0 && html`<p class="hint">No children yet.</p>`}
        <ol class="child-list" data-testid="child-list">
          ${parent && parent.children.map((c) => html`<li key=${c}><a href=${bagHref(c)}>${c}</a></li>`)}
        </ol>
      </section>
    </div>
  </section>`;
}

function QueueStatus({ q, waiting }) {
  const plural = waiting === 1 ? 'scan' : 'scans';
  let text = 'Every scan is sent.';
  let cls = 'ok';
  if (q.paused) {
    text = `Signed out: ${waiting} ${plural} waiting. Sign in again to send them.`;
    cls = 'bad';
  } else if (waiting && q.connection === 'offline') {
    text = `Server unreachable: ${waiting} ${plural} waiting. They are kept on this device and sent when it answers.`;
    cls = 'bad';
  } else if (waiting && q.connection === 'busy') {
    text = `The server is busy: ${waiting} ${plural} waiting, retrying.`;
    cls = 'warn';
  } else if (waiting) {
    text = `Sending: ${waiting} ${plural} waiting.`;
    cls = 'warn';
  }
  return html`<p class=${'queue-status ' + cls} role="status" data-testid="queue-status" data-waiting=${waiting}>${text}</p>`;
}

function Counter({ parent, capacity, waiting }) {
  if (!parent) {
    return html`<div class="counter-box empty" data-testid="counter-box">
      <div class="counter" data-testid="counter">–/${capacity}</div>
      <p>Scan a parent bag (its code, e.g. SB12345) to start.</p>
    </div>`;
  }
  const cap = parent.capacity || capacity;
  const count = parent.count === null || parent.count === undefined ? '–' : parent.count;
  const full = parent.count !== null && parent.count >= cap;
  const pct = parent.count ? Math.min(100, (100 * parent.count) / cap) : 0;
  return html`<div class=${'counter-box' + (full ? ' full' : '') + (parent.state === 'rejected' ? ' refused' : '')}
                   data-testid="counter-box">
    <div class="parent-code">Parent <a href=${bagHref(parent.code)} data-testid="current-parent">${parent.code}</a>
      ${parent.state === 'waiting' && html` <span class="tag">waiting for the server</span>`}
      ${parent.state === 'rejected' && html` <span class="tag bad">refused</span>`}
      ${full && html` <span class="tag">full</span>`}
    </div>
    <div class="counter" data-testid="counter" aria-label=${`${count} of ${cap} children`}>${count}/${cap}</div>
    ${waiting > 0 && html`<p class="hint" data-testid="counter-waiting">and ${waiting} more waiting to be sent</p>`}
    <div class="bar" role="progressbar" aria-valuemin="0" aria-valuemax=${cap} aria-valuenow=${parent.count || 0}>
      <div class="fill" style=${{ width: pct + '%' }}></div>
    </div>
  </div>`;
}

const toneWords = { linked: 'Linked', already: 'Already linked', rejected: 'Refused', parent: 'Parent', info: 'Note' };

function LastResult({ row }) {
  if (!row) return html`<div class="result none" data-testid="last-result" aria-live="polite"></div>`;
  const o = row.outcome;
  return html`<div class=${'result tone-' + o.tone} data-testid="last-result" data-tone=${o.tone} aria-live="assertive">
    <strong>${toneWords[o.tone]}</strong> <span>${o.text}</span>
    ${o.error === 'linked_elsewhere' && html` <a href=${bagHref(row.code)}>Open ${row.code} to relink it</a>`}
  </div>`;
}

function ScanRow({ row, sending }) {
  const o = row.outcome;
  const state = row.state === 'done' ? o.tone : sending ? 'sending' : 'waiting';
  const what = row.kind === 'parent' ? 'parent' : row.kind === 'undo' ? 'undo' : row.kind === 'bill_parent' ? 'bill' : 'child';
  return html`<li class=${'scan-row tone-' + state} data-testid="scan-row" data-state=${row.state} data-tone=${state}
                  data-code=${row.code}>
    <span class="when">${new Date(row.at).toLocaleTimeString()}</span>
    <span class="what">${what}</span>
    ${row.code ? html`<a class="code" href=${bagHref(row.code)}>${row.code}</a>` : html`<span class="code"></span>`}
    <span class="outcome">${row.state === 'done' ? o.text : sending ? 'sending…' : 'waiting to be sent'}</span>
  </li>`;
}
