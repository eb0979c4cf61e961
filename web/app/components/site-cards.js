// Head office's dashboard: a card per site (SPEC §8 "One company view"; administrators) with its
// last push, what it had written that head office has not applied yet, and its open conflicts,
// then the totals of all sites. Each card shows the dashboard of that site's rows alone; nothing
// shows on a server no site pushes to. Read again every 10 seconds.
import { html, useEvery, useState } from '../ui.js';
import * as sitesApi from '../api/sites.js';
import { when } from '../format.js';

const REFRESH_MS = 10000;

export function SiteCards({ chosen }) {
  const [sites, setSites] = useState([]);
  useEvery(async (alive) => {
    try {
      const s = await sitesApi.list();
      if (alive()) setSites(s.sites);
    } catch {
      // Not head office, or not now: the dashboard's own figures say when the server is away.
    }
  }, REFRESH_MS);
  if (sites.length === 0) return null;
  const lag = sites.reduce((n, s) => n + s.lag, 0);
  const conflicts = sites.reduce((n, s) => n + s.open_conflicts, 0);
  const card = (s) => html`<li key=${s.id} class=${'site-card' + (chosen === s.id ? ' chosen' : '')} data-testid="site-card" data-name=${s.name}>
    <h3><a href=${'/dashboard?site=' + encodeURIComponent(s.id)}>${s.name}</a></h3>
    <dl class="facts">
      <dt>Last push</dt><dd data-testid="site-last-push">${s.last_push_at ? when(s.last_push_at) : 'never'}</dd>
      <dt>Waiting</dt><dd data-testid="site-lag" title="Operations the site had written at its last push that head office has not applied">${s.lag.toLocaleString()}</dd>
      <dt>Open conflicts</dt><dd data-testid="site-conflicts">${s.open_conflicts > 0
        ? html`<a href=${'/admin/sync/conflicts?site=' + encodeURIComponent(s.id)}>${s.open_conflicts}</a>`
        : '0'}</dd>
    </dl>
  </li>`;
  return html`<section class="site-cards" data-testid="site-cards">
    <h2>Sites</h2>
    <ul>
      <li class=${'site-card total' + (chosen ? '' : ' chosen')} data-testid="site-card-all">
        <h3><a href="/dashboard">All sites</a></h3>
        <dl class="facts">
          <dt>Sites</dt><dd>${sites.length}</dd>
          <dt>Waiting</dt><dd data-testid="sites-lag">${lag.toLocaleString()}</dd>
          <dt>Open conflicts</dt><dd data-testid="sites-conflicts">${conflicts}</dd>
        </dl>
      </li>
      ${sites.map(card)}
    </ul>
  </section>`;
}
