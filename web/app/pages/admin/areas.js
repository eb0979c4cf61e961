// /admin/areas (SPEC §1): dispatch areas. Every user but an administrator belongs to one; a bag
// takes the area of whoever first scanned it.
import { html, useEffect, useState, useLoad } from '../../ui.js';
import * as areasApi from '../../api/areas.js';
import { title, LoadError } from '../../frame.js';
import { when } from '../../format.js';

export function AreasPage() {
  const [name, setName] = useState('');
  const [formError, setFormError] = useState('');
  const { data, error, reload: load } = useLoad(() => areasApi.list());
  const areas = data && data.areas;
  useEffect(() => title('Areas'), []);
  const submit = async (e) => {
    e.preventDefault();
    setFormError('');
    try {
      await areasApi.create(name.trim());
      setName('');
      load();
    } catch (err) {
      setFormError(err.message);
    }
  };
  return html`<section class="admin-page">
    <h1>Dispatch areas</h1>
    <form class="inline-form panel" onSubmit=${submit} data-testid="new-area">
      <label>New area <input name="name" value=${name} onInput=${(e) => setName(e.target.value)} required maxlength="100" /></label>
      <button type="submit" class="primary">Add the area</button>
      ${formError && html`<p class="error" role="alert">${formError}</p>`}
    </form>
    ${error && html`<${LoadError} error=${error} retry=${load} />`}
    ${areas &&
    html`<table class="cards" data-testid="areas">
      <thead><tr><th>Area</th><th>Created</th></tr></thead>
      <tbody>${areas.map((a) => html`<tr key=${a.id}><td data-label="Area">${a.name}</td><td data-label="Created">${when(a.created_at)}</td></tr>`)}</tbody>
    </table>`}
  </section>`;
}
