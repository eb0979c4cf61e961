// The daily scan report of /reports (GET /reports/scans, through api/reports.js): one day of the
// depot (its time zone) by outcome, by local hour (a chart), by user and by area, and its CSV file.
import { html, useLoad } from '../../ui.js';
import * as reportsApi from '../../api/reports.js';
import { LoadError } from '../../frame.js';
import { word } from '../../format.js';
import { BarChart } from '../../chart.js';
import { ReportForm } from './report-form.js';
import { dayName } from './depot-clock.js';

export const OUTCOMES = [
  { key: 'created', name: 'Parent created' },
  { key: 'found', name: 'Parent found' },
  { key: 'linked', name: 'Linked' },
  { key: 'already_linked', name: 'Already linked' },
  { key: 'rejected', name: 'Refused' },
];
const FIELDS = [{ name: 'date', label: 'Day' }, { name: 'area' }, { name: 'site' }];

export function DailyScans({ params, areas, sites, go, search }) {
  const wanted = { date: params.date, area: params.area, site: params.site };
  const { data: report, error, reload } = useLoad(() => reportsApi.scans(wanted), [search]);
  // The form shows the day reported (today when none was asked for).
  const shown = report ? { date: params.date || report.date, area: params.area, site: params.site } : params;
  return html`<div data-testid="daily-scans">
    <${ReportForm} fields=${FIELDS} params=${shown} areas=${areas} sites=${sites} go=${go} testid="scans-form" />
    ${error && html`<${LoadError} error=${error} retry=${reload} />`}
    ${report && html`<${Report} report=${report} siteId=${params.site} site=${(sites || []).find((s) => s.id === params.site)} />`}
  </div>`;
}

function Report({ report, siteId, site }) {
  const t = report.totals;
  const seen = new Map();
  const groups = report.hours.map((h) => {
    // On the day the clocks go back one hour happens twice: the second is marked.
    const n = (seen.get(h.label) || 0) + 1;
    seen.set(h.label, n);
    const label = h.label.slice(0, 2) + (n > 1 ? '′' : '');
    return {
      label,
      key: h.start,
      bars: OUTCOMES.map((o) => ({ value: h[o.key], title: `${h.label} (UTC${h.utc_offset}), ${o.name}: ${h[o.key]}` })),
    };
  });
  const csv = reportsApi.scansCsvUrl({ date: report.date, area: report.area, site: siteId });
  return html`<article class="report" data-testid="scan-report" data-date=${report.date}>
    <h2 class="report-heading">Daily scans · ${dayName(report.date)}${report.area ? ` · ${report.area}` : ' · every area'}${site ? ` · ${site.name}` : ''}</h2>
    <p class="hint">Hours of the depot's clock (${report.time_zone}).${report.hours.length !== 24 ? ` This day has ${report.hours.length} hours: the clocks changed.` : ''}</p>
    <p class="exports no-print"><a href=${csv} download data-testid="scans-csv"
       title="One line per hour, user, area and outcome">Download as CSV</a></p>
    <div class="figures">
      <div class="figure" data-testid="total-scans"><div class="value">${t.scans.toLocaleString()}</div><div class="name">Scans</div></div>
      ${OUTCOMES.map(
        (o) => html`<div key=${o.key} class=${'figure outcome-' + o.key} data-testid=${'total-' + o.key}>
          <div class="value">${t[o.key].toLocaleString()}</div><div class="name">${o.name}</div></div>`,
      )}
    </div>
    ${report.rejected_by_reason.length > 0 &&
    html`<p data-testid="reasons"><strong>Refused because: </strong>
      ${report.rejected_by_reason.map((r, i) => html`<span key=${r.reason}>${i ? ', ' : ''}${word(r.reason) || 'no reason given'} ${r.scans}</span>`)}</p>`}
    <${BarChart} testid="scans-chart" groups=${groups} groupWidth=${50} height=${240} label="Scans per hour by outcome"
                 series=${OUTCOMES.map((o) => ({ name: o.name, className: 'outcome-' + o.key }))} />
    <${Breakdown} heading="By user" rows=${report.per_user} nameKey="user" none="(no user)" testid="scans-per-user" />
    <${Breakdown} heading="By area" rows=${report.per_area} nameKey="area" none="(no area)" testid="scans-per-area" />
  </article>`;
}

function Breakdown({ heading, rows, nameKey, none, testid }) {
  const column = nameKey === 'user' ? 'User' : 'Area';
  return html`<section>
    <h3>${heading}</h3>
    ${rows.length === 0
      ? html`<p class="hint">No scans this day.</p>`
      : html`<div class="table-wrap"><table class="cards numbers" data-testid=${testid}>
          <thead><tr><th>${column}</th><th>Scans</th>${OUTCOMES.map((o) => html`<th key=${o.key}>${o.name}</th>`)}</tr></thead>
          <tbody>
            ${rows.map(
              (r, i) => html`<tr key=${i}>
                <td data-label=${column}>${r[nameKey] || none}</td>
                <td data-label="Scans">${r.scans}</td>
                ${OUTCOMES.map((o) => html`<td key=${o.key} data-label=${o.name}>${r[o.key]}</td>`)}
              </tr>`,
            )}
          </tbody>
        </table></div>`}
  </section>`;
}
