// The form of the reports of /reports: its fields show the values of the page's address, and
// showing a report sends them back as a new address (so a report can be bookmarked and reloaded).
import { html, useEffect, useState } from '../../ui.js';

export function ReportForm({ fields, params, areas, sites = [], go, testid }) {
  const [values, setValues] = useState(params);
  useEffect(() => setValues(params), [JSON.stringify(params)]);
  const bind = (name) => ({ name, value: values[name] || '', onInput: (e) => setValues((v) => ({ ...v, [name]: e.target.value })) });
  return html`<form class="search-form no-print" data-testid=${testid} onSubmit=${(e) => {
    e.preventDefault();
    go(values);
  }}>
    ${fields.map((f) =>
      f.name === 'site'
        ? sites.length > 0 &&
          html`<label key="site">Site
            <select ...${bind('site')} onChange=${bind('site').onInput} data-testid="report-site">
              <option value="">Every site</option>
              ${sites.map((s) => html`<option key=${s.id} value=${s.id}>${s.name}</option>`)}
            </select>
          </label>`
        : f.name === 'area'
        ? html`<label key="area">Area
            <select ...${bind('area')} onChange=${bind('area').onInput}>
              <option value="">Every area</option>
              ${areas.map((a) => html`<option key=${a.id} value=${a.name}>${a.name}</option>`)}
            </select>
          </label>`
        : html`<label key=${f.name}>${f.label} <input type="date" ...${bind(f.name)} /></label>`,
    )}
    <button type="submit" class="primary">Show</button>
  </form>`;
}
