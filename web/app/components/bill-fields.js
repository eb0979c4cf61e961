// The fields of a bill (SPEC §3.4), for creating one (/bills) and for editing it (/bills/{code}).
import { html } from '../ui.js';

export function BillFields({ values, set, withCode }) {
  const bind = (name) => ({ name, value: values[name] ?? '', onInput: (e) => set({ ...values, [name]: e.target.value }) });
  return html`
    ${withCode &&
    html`<label>Bill code <input ...${bind('code')} required minlength="3" maxlength="50" autocomplete="off"
      spellcheck="false" placeholder="e.g. LKO-2026-11-29" /></label>`}
    <label>Description <input ...${bind('description')} maxlength="500" /></label>
    <label>Destination <input ...${bind('destination')} maxlength="200" /></label>
    <label>Vehicle <input ...${bind('vehicle')} maxlength="50" /></label>
    <label>Capacity (parent bags) <input ...${bind('capacity')} type="number" min="1" max="100" required /></label>`;
}

// The body of POST or PATCH /bills from the form's values (empty optional fields: none).
export function billBody(values, withCode) {
  const body = {
    description: (values.description || '').trim(),
    destination: (values.destination || '').trim() || null,
    vehicle: (values.vehicle || '').trim() || null,
    capacity: Number(values.capacity),
  };
  if (withCode) body.code = (values.code || '').trim();
  return body;
}
