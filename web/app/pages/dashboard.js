// /dashboard (SPEC §3.6): totals, scans in the last 24 hours, scans per hour today and yesterday,
// activity per area and per user. Live: a change anywhere reads the figures again, without a
// reload. The figures always come from the server (GET /stats); events only say when.
import { html, useEffect, useRef, useState } from '../ui.js';
import * as statsApi from '../api/stats.js';
import { title, LoadError } from '../frame.js';
import { subscribeLive } from '../live.js';
import { session, may } from '../session.js';
import { BarChart } from '../chart.js';
import { SyncCard } from '../components/sync-card.js';
import { SiteCards } from '../components/site-cards.js';
import { queryParams } from '../router.js';

const RETRY_MS = 400;  // the server keeps figures at least a second: ask again soon after

// The calendar day (YYYY-MM-DD) and hour of an instant in a time zone (the browser's own when none
// is given): the rules of the zone are the browser's, from its time zone database.
export function dayAndHour(date, timeZone) {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', hourCycle: 'h23' })
      .formatToParts(date)
      .map((p) => [p.type, p.value]),
  );
  return { day: `${parts.year}-${parts.month}-${parts.day}`, hour: Number(parts.hour) };
}

const previousDay = (day) => {
  const [y, m, d] = day.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d - 1)).toISOString().slice(0, 10);
};

// The 48 hourly counts regrouped by the depot's calendar days (SPEC §3.5: every "today" is the
// depot's, setting time_zone): today's hours and yesterday's.
export function todayAndYesterday(hours, now = new Date(), timeZone = undefined) {
  const { day: today, hour: hourNow } = dayAndHour(now, timeZone);
  const yesterday = previousDay(today);
  const counts = { [today]: Array(24).fill(0), [yesterday]: Array(24).fill(0) };
  for (const h of hours) {
    const { day, hour } = dayAndHour(new Date(h.hour), timeZone);
    if (counts[day]) counts[day][hour] += h.scans;
  }
  return { today: counts[today], yesterday: counts[yesterday], hourNow };
}

export function DashboardPage({ search }) {
  // Head office: the figures of the rows that came from one site (SPEC §8 "One company view").
  const site = queryParams(search || '').site;
  const [stats, setStats] = useState(null);
  const [error, setError] = useState(null);
  const [live, setLive] = useState('connecting');
  const pending = useRef({ timer: null, changedAt: 0, busy: false });

  // Reads the figures; when they were counted before the last change seen, reads again shortly
  // (the server keeps figures for a second before counting again).
  const load = async () => {
    const p = pending.current;
    if (p.busy) return;
    p.busy = true;
    try {
      const s = await statsApi.get(site);
      setStats(s);
      setError(null);
      if (Date.parse(s.computed_at) < p.changedAt) schedule(RETRY_MS);
    } catch (e) {
      setError(e);
    } finally {
      p.busy = false;
    }
  };
  const schedule = (ms) => {
    const p = pending.current;
    if (p.timer) return;
    p.timer = setTimeout(() => {
      p.timer = null;
      load();
    }, ms);
  };

  useEffect(() => {
    title('Dashboard');
    load();
    const unsubscribe = subscribeLive({
      onEvent: (type, data) => {
        const at = data && data.at ? Date.parse(data.at) : Date.now();
        pending.current.changedAt = Math.max(pending.current.changedAt, at);
        schedule(100);
      },
      onOpen: () => schedule(0),
      onState: setLive,
    });
    return () => {
      unsubscribe();
      clearTimeout(pending.current.timer);
    };
  }, [site]);

  if (!stats) return error ? html`<${LoadError} error=${error} retry=${load} />` : html`<p class="loading">Loading the figures…</p>`;
  const t = stats.totals;
  const { today, yesterday, hourNow } = todayAndYesterday(stats.scans_per_hour_48h, new Date(), session.get().scan?.time_zone);
  const groups = today.map((n, h) => ({
    label: String(h),
    bars: [
      { value: yesterday[h], title: `Yesterday ${h}:00–${h + 1}:00: ${yesterday[h]} scans` },
      { value: h <= hourNow ? n : 0, title: `Today ${h}:00–${h + 1}:00: ${n} scans` },
    ],
  }));
  return html`<section class="dashboard" data-testid="dashboard">
    <h1>Dashboard${stats.scope && stats.scope !== 'all' ? ` · ${stats.scope}` : ''}${stats.site_name ? ` · ${stats.site_name}` : ''}</h1>
    <p class=${'live ' + live} data-testid="live-state" data-state=${live}>
      ${live === 'live' ? 'Live: updates as scans happen.' : 'Reconnecting to live updates…'}${' '}
      Figures of ${new Date(stats.computed_at).toLocaleTimeString()}.
    </p>
    ${error && html`<${LoadError} error=${error} retry=${load} />`}
    ${may('administration') && html`<${SyncCard} />`}
    ${may('administration') && html`<${SiteCards} chosen=${site} />`}
    <div class="figures">
      <${Figure} name="Parent bags" value=${t.parents} id="parents" />
      <${Figure} name="Child bags" value=${t.children} id="children" />
      <${Figure} name="Children in a parent" value=${t.linked_children} id="linked_children" />
      <${Figure} name="Bills open" value=${t.bills_open} id="bills_open" />
      <${Figure} name="Bills completed" value=${t.bills_completed} id="bills_completed" />
      <${Figure} name="Scans, last 24 h" value=${stats.scans_24h.scans} id="scans_24h"
                 note=${`${stats.scans_24h.linked} linked, ${stats.scans_24h.rejected} refused`} />
    </div>
    <${BarChart} testid="hours-chart" groups=${groups} label="Scans per hour, yesterday and today"
                 series=${[{ name: 'Yesterday', className: 'yesterday' }, { name: 'Today', className: 'today' }]} />
    <div class="columns">
      <${Activity} title="By area" rows=${stats.per_area} nameKey="area" empty="No scans in the last 24 hours." testid="per-area" />
      <${Activity} title="By user" rows=${stats.per_user} nameKey="user" empty="No scans in the last 24 hours." testid="per-user" />
    </div>
  </section>`;
}

function Figure({ name, value, note, id }) {
  return html`<div class="figure" data-testid=${'figure-' + id}>
    <div class="value">${value.toLocaleString()}</div>
    <div class="name">${name}</div>
    ${note && html`<div class="hint">${note}</div>`}
  </div>`;
}

function Activity({ title: heading, rows, nameKey, empty, testid }) {
  return html`<section>
    <h2>${heading} (last 24 h)</h2>
    ${rows.length === 0
      ? html`<p class="hint">${empty}</p>`
      : html`<table class="cards" data-testid=${testid}>
          <thead><tr><th>${nameKey === 'area' ? 'Area' : 'User'}</th><th>Scans</th><th>Linked</th><th>Refused</th></tr></thead>
          <tbody>
            ${rows.map(
              (r, i) => html`<tr key=${i}>
                <td data-label=${nameKey === 'area' ? 'Area' : 'User'}>${r[nameKey] || '(no area)'}</td>
                <td data-label="Scans">${r.scans}</td>
                <td data-label="Linked">${r.linked}</td>
                <td data-label="Refused">${r.rejected}</td>
              </tr>`,
            )}
          </tbody>
        </table>`}
  </section>`;
}
