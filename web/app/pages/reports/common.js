// What the two reports share: their form (its values come from the page's address and go back
// there) and the way they write days and times (the depot's, SPEC §3.5).
import { html, useEffect, useState } from '../../ui.js';

// The form of a report: its fields in the address's values, sent as a new address.
export function ReportForm({ fields, params, areas, go, testid }) {
  const [values, setValues] = useState(params);
  useEffect(() => setValues(params), [JSON.stringify(params)]);
  const bind = (name) => ({ name, value: values[name] || '', onInput: (e) => setValues((v) => ({ ...v, [name]: e.target.value })) });
  return html`<form class="search-form no-print" data-testid=${testid} onSubmit=${(e) => {
    e.preventDefault();
    go(values);
  }}>
    ${fields.map((f) =>
      f.name === 'area'
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

// An instant as the depot's clock reads it (the report's time zone), e.g. "29 Nov 2026, 10:15".
export function depotTime(iso, timeZone) {
  if (!iso) return '';
  const d = new Date(iso);
  if (isNaN(d)) return iso;
  try {
    return d.toLocaleString(undefined, { timeZone, dateStyle: 'medium', timeStyle: 'short' });
  } catch {
    return d.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
  }
}

// A calendar day (YYYY-MM-DD) in words, e.g. "Sun, 29 Nov 2026"; the day is the depot's already.
export function dayName(date) {
  const [y, m, d] = date.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d)).toLocaleDateString(undefined, {
    timeZone: 'UTC', weekday: 'short', day: 'numeric', month: 'short', year: 'numeric',
  });
}
