// The bills summary of /reports (GET /reports/bills, through api/reports.js): bills created and
// completed day by day in the depot's days (a chart; month by month over a long range), every bill
// of the range with the figures of its page (the server's, never counted here), the totals, and the
// CSV file.
import { html, useLoad } from '../../ui.js';
import * as reportsApi from '../../api/reports.js';
import { LoadError } from '../../frame.js';
import { kg } from '../../format.js';
import { BarChart } from '../../chart.js';
import { billHref } from '../links.js';
import { ReportForm } from './report-form.js';
import { dayName, depotTime } from './depot-clock.js';

const FIELDS = [{ name: 'from', label: 'From' }, { name: 'to', label: 'To' }, { name: 'area' }, { name: 'site' }];
const MAX_DAYS_CHARTED = 62;  // beyond two months, a bar per month

export function BillsSummary({ params, areas, sites, go, search }) {
  const wanted = { from: params.from, to: params.to, area: params.area, site: params.site };
  const { data: summary, error, reload } = useLoad(() => reportsApi.bills(wanted), [search]);
  const shown = summary ? { from: params.from || summary.from, to: params.to || summary.to, area: params.area, site: params.site } : params;
  return html`<div data-testid="bills-summary">
    <${ReportForm} fields=${FIELDS} params=${shown} areas=${areas} sites=${sites} go=${go} testid="bills-form" />
    ${error && html`<${LoadError} error=${error} retry=${reload} />`}
    ${summary && html`<${Summary} summary=${summary} siteId=${params.site} site=${(sites || []).find((x) => x.id === params.site)} />`}
  </div>`;
}

// The chart's groups: a day each, or a month each over a long range (sums of the server's days).
export function chartGroups(days) {
  if (days.length <= MAX_DAYS_CHARTED) {
    return days.map((d) => ({
      label: d.date.slice(8),
      key: d.date,
      bars: [
        { value: d.created, title: `${d.date}: ${d.created} created` },
        { value: d.completed, title: `${d.date}: ${d.completed} completed` },
      ],
    }));
  }
  const months = new Map();
  for (const d of days) {
    const m = months.get(d.date.slice(0, 7)) || { created: 0, completed: 0 };
    m.created += d.created;
    m.completed += d.completed;
    months.set(d.date.slice(0, 7), m);
  }
  return [...months].map(([month, m]) => ({
    label: month.slice(2),
    key: month,
    bars: [
      { value: m.created, title: `${month}: ${m.created} created` },
      { value: m.completed, title: `${month}: ${m.completed} completed` },
    ],
  }));
}

function Summary({ summary: s, siteId, site }) {
  const t = s.totals;
  const perMonth = s.days.length > MAX_DAYS_CHARTED;
  const csv = reportsApi.billsCsvUrl({ from: s.from, to: s.to, area: s.area, site: siteId });
  const range = s.from === s.to ? dayName(s.from) : `${dayName(s.from)} to ${dayName(s.to)}`;
  return html`<article class="report" data-testid="bills-report" data-from=${s.from} data-to=${s.to}>
    <h2 class="report-heading">Bills summary · ${range}${s.area ? ` · ${s.area}` : ' · every area'}${site ? ` · ${site.name}` : ''}</h2>
    <p class="hint">Days of the depot's clock (${s.time_zone}). Figures are the bills' own, from their bags now.</p>
    <p class="exports no-print"><a href=${csv} download data-testid="bills-csv"
       title="One line per bill with its figures">Download as CSV</a></p>
    <div class="figures">
      <${Figure} id="created" name="Bills created" value=${t.created} />
      <${Figure} id="completed" name="Bills completed" value=${t.completed} />
      <${Figure} id="parents" name="Parent bags" value=${t.parent_count} />
      <${Figure} id="children" name="Child bags" value=${t.child_count} />
      <${Figure} id="weight" name="Weight" value=${kg(t.actual_weight_kg)} note=${`expected ${kg(t.expected_weight_kg)}`} />
      <${Figure} id="variance" name="Variance" value=${kg(t.variance_kg)} />
    </div>
    <${BarChart} testid="bills-chart" groups=${chartGroups(s.days)} height=${200}
                 label=${perMonth ? 'Bills per month' : 'Bills per day'}
                 series=${[{ name: 'Created', className: 'bills-created' }, { name: 'Completed', className: 'bills-completed' }]} />
    <h3>Bills created or completed in these days</h3>
    ${s.bills.length === 0
      ? html`<p class="hint" data-testid="no-bills">No bill was created or completed in these days.</p>`
      : html`${s.bills_shown < t.bills &&
          html`<p class="banner" data-testid="bills-cut">The table shows the first ${s.bills_shown} of ${t.bills} bills; the CSV file has all of them.</p>`}
        <div class="table-wrap"><table class="cards" data-testid="summary-bills">
          <thead><tr><th>Bill</th><th>Status</th><th>Area</th><th>Created</th><th>Completed</th><th class="num">Parents</th>
            <th class="num">Children</th><th class="num">Weight</th><th class="num">Expected</th><th class="num">Variance</th></tr></thead>
          <tbody>
            ${s.bills.map(
              (b) => html`<tr key=${b.code} data-code=${b.code}>
                <td data-label="Bill"><a class="code" href=${billHref(b.code)}>${b.code}</a>
                  ${b.destination && html`<div class="hint">${b.destination}</div>`}</td>
                <td data-label="Status"><span class=${'tag status-' + b.status}>${b.status}</span></td>
                <td data-label="Area">${b.area || '–'}</td>
                <td data-label="Created">${depotTime(b.created_at, s.time_zone)}</td>
                <td data-label="Completed">${b.completed_at ? depotTime(b.completed_at, s.time_zone) : '–'}</td>
                <td class="num" data-label="Parents">${b.parent_count}/${b.capacity}</td>
                <td class="num" data-label="Children">${b.child_count}</td>
                <td class="num" data-label="Weight">${kg(b.actual_weight_kg)}</td>
                <td class="num" data-label="Expected">${kg(b.expected_weight_kg)}</td>
                <td class="num" data-label="Variance">${kg(b.variance_kg)}</td>
              </tr>`,
            )}
          </tbody>
          <tfoot><tr>
            <td data-label="Total">${t.bills} bills</td><td></td><td></td><td></td><td></td>
            <td class="num" data-label="Parents">${t.parent_count}</td>
            <td class="num" data-label="Children">${t.child_count}</td>
            <td class="num" data-label="Weight">${kg(t.actual_weight_kg)}</td>
            <td class="num" data-label="Expected">${kg(t.expected_weight_kg)}</td>
            <td class="num" data-label="Variance">${kg(t.variance_kg)}</td>
          </tr></tfoot>
        </table></div>`}
  </article>`;
}

function Figure({ id, name, value, note }) {
  return html`<div class="figure" data-testid=${'summary-' + id}>
    <div class="value">${typeof value === 'number' ? value.toLocaleString() : value}</div>
    <div class="name">${name}</div>
    ${note && html`<div class="hint">${note}</div>`}
  </div>`;
}
