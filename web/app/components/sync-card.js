// The dashboard's synchronisation card (SPEC §8 "Status"; administrators). On a depot that pushes
// to head office: the state of the link, what waits and since when, the last success and the last
// error, read again every 10 seconds. On head office: the conflicts waiting for a person.
import { html, useEvery, useState } from '../ui.js';
import * as syncApi from '../api/sync.js';
import { when } from '../format.js';

const REFRESH_MS = 10000;

const STATES = {
  ok: 'Up to date with head office',
  retrying: 'Head office cannot be reached: retrying',
  blocked: 'Stopped: head office refuses this depot',
  diverged: 'Stopped: this database is older than what head office saw',
};

// After the token file was replaced or head office upgraded, or when the link is back before the
// backoff ends: an administrator need not restart the server.
const RETRY_STATES = new Set(['retrying', 'blocked', 'diverged']);

export function SyncCard() {
  const [status, setStatus] = useState(null);
  const [conflicts, setConflicts] = useState([]);
  const [retrying, setRetrying] = useState(false);
  const [retryError, setRetryError] = useState('');
  const tryAgain = async () => {
    setRetrying(true);
    setRetryError('');
    try {
      setStatus(await syncApi.retry());
    } catch (e) {
      setRetryError(e.message || 'The server did not take the request.');
    } finally {
      setRetrying(false);
    }
  };
  useEvery(async (alive) => {
    try {
      const [s, c] = await Promise.all([syncApi.status(), syncApi.openConflicts()]);
      if (!alive()) return;
      setStatus(s);
      setConflicts(c.conflicts);
    } catch {
      // The dashboard's own figures say when the server cannot be reached.
    }
  }, REFRESH_MS);
  if (!status) return null;
  const pushing = status.state !== 'off';
  if (!pushing && conflicts.length === 0) return null;
  return html`<section class="sync-card" data-testid="sync-card" data-state=${status.state}>
    <h2>Head office</h2>
    ${pushing && html`<p class=${'sync-state ' + status.state} data-testid="sync-state">${STATES[status.state] || status.state}</p>
      ${status.reason && html`<p class="error" role="alert">${status.reason}</p>`}
      <dl class="facts">
        <dt>Waiting to be sent</dt>
        <dd data-testid="sync-backlog">${status.backlog_ops.toLocaleString()} operation${status.backlog_ops === 1 ? '' : 's'}${status.oldest_unsent_at ? `, the oldest from ${when(status.oldest_unsent_at)}` : ''}</dd>
        <dt>Last sent</dt><dd>${status.last_success_at ? when(status.last_success_at) : 'never'}</dd>
        ${status.last_error && html`<dt>Last error</dt><dd>${status.last_error} (${when(status.last_error_at)})</dd>`}
      </dl>
      ${RETRY_STATES.has(status.state) && html`<p>
        <button type="button" onClick=${tryAgain} disabled=${retrying} data-testid="sync-retry">Try again now</button>
        ${status.state === 'blocked' && html` <span class="hint">Replace the sync token file first if head office renewed the token.</span>`}
      </p>`}
      ${retryError && html`<p class="error" role="alert">${retryError}</p>`}`}
    ${conflicts.length > 0 && html`<h3 data-testid="sync-conflicts-count">${conflicts.length} open conflict${conflicts.length === 1 ? '' : 's'}</h3>
      <ul class="conflicts" data-testid="sync-conflicts">
        ${conflicts.slice(0, 10).map((c) => html`<li key=${c.uid}>${c.summary}</li>`)}
      </ul>
      <p><a href="/admin/sync/conflicts" data-testid="sync-conflicts-link">See and resolve the conflicts</a></p>`}
  </section>`;
}
