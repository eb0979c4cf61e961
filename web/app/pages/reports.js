// /reports (SPEC §3.6, §3.7; billers and administrators): the daily scan report and the bills
// summary, each with its chart, its tables and its CSV file. What is shown is in the address
// (?tab=bills&from=...&to=...&area=...), so a report can be bookmarked, reloaded, shared and printed.
import { html, useEffect, useState } from '../ui.js';
import { query } from '../api.js';
import * as areasApi from '../api/areas.js';
import * as sitesApi from '../api/sites.js';
import { navigate, queryParams } from '../router.js';
import { title } from '../frame.js';
import { DailyScans } from '../components/reports/daily-scans.js';
import { BillsSummary } from '../components/reports/bills-summary.js';

const TABS = [
  { id: 'scans', name: 'Daily scans', fields: ['date', 'area', 'site'], component: DailyScans },
  { id: 'bills', name: 'Bills summary', fields: ['from', 'to', 'area', 'site'], component: BillsSummary },
];

export function ReportsPage({ search }) {
  const params = queryParams(search);
  const tab = TABS.find((t) => t.id === params.tab) || TABS[0];
  const [areas, setAreas] = useState([]);
  // Head office's sites (SPEC §8), for the site filter; none elsewhere, or for a biller.
  const [sites, setSites] = useState([]);

  useEffect(() => {
    areasApi.list().then((r) => setAreas(r.areas), () => {});
    sitesApi.list().then((r) => setSites(r.sites), () => {});
  }, []);
  useEffect(() => title(`${tab.name} · Reports`), [tab.id]);

  // Shows the tab with these values: a new address, so the back button and a reload keep it.
  const go = (values) =>
    navigate('/reports' + query({ tab: tab.id, ...pick(values, tab.fields) }));

  return html`<section class="reports-page">
    <h1 class="no-print">Reports</h1>
    <nav class="tabs no-print" aria-label="Reports">
      ${TABS.map(
        (t) => html`<a key=${t.id} href=${'/reports' + query({ tab: t.id, area: params.area })}
                      class=${t === tab ? 'active' : ''} aria-current=${t === tab ? 'page' : undefined}
                      data-testid=${'tab-' + t.id}>${t.name}</a>`,
      )}
    </nav>
    <${tab.component} key=${tab.id} params=${pick(params, tab.fields)} areas=${areas} sites=${sites} go=${go} search=${search} />
  </section>`;
}

const pick = (values, fields) => Object.fromEntries(fields.map((f) => [f, (values[f] || '').trim()]));
