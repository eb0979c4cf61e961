// /admin/sites (SPEC §8, head office): the depots that push here. Registering one gives it a sync
// token, shown once, for the depot's --sync-token-file; a token can be renewed (the old one stops
// at once) or revoked.
import { html, useEffect, useState, useLoad } from '../../ui.js';
import * as sitesApi from '../../api/sites.js';
import * as areasApi from '../../api/areas.js';
import { title, LoadError } from '../../frame.js';
import { when } from '../../format.js';
import { ConfirmButton } from '../../confirm.js';

function TokenShown({ shown, done }) {
  return html`<div class="banner ok" role="status" data-testid="site-token">
    <span>Sync token of <strong>${shown.name}</strong> (site id <code data-testid="site-id">${shown.id}</code>),
      shown once: <code data-testid="site-token-value">${shown.token}</code>. Put it in the depot's
      <code>--sync-token-file</code>.</span>
    <button type="button" onClick=${done}>Done</button>
  </div>`;
}

export function SitesPage() {
  const [shown, setShown] = useState(null);
  const [name, setName] = useState('');
  const [chosen, setChosen] = useState([]);
  const [formError, setFormError] = useState('');
  const { data, error, reload: load } = useLoad(async () => {
    const [s, a] = await Promise.all([sitesApi.list(), areasApi.list()]);
    return { sites: s.sites, areas: a.areas };
  });
  const sites = data && data.sites;
  const areas = (data && data.areas) || [];
  useEffect(() => title('Sites'), []);
  const show = (r) => setShown({ id: r.site.id, name: r.site.name, token: r.token });
  const create = async (e) => {
    e.preventDefault();
    setFormError('');
    try {
      show(await sitesApi.create({ name: name.trim(), areas: chosen }));
      setName('');
      setChosen([]);
      load();
    } catch (err) {
      setFormError(err.message);
    }
  };
  const toggle = (area) => setChosen(chosen.includes(area) ? chosen.filter((a) => a !== area) : [...chosen, area]);
  return html`<section class="admin-page">
    <h1>Sites</h1>
    <p class="hint">Depots that push what happens there to this head office. Each gets a sync token, shown once.</p>
    ${shown && html`<${TokenShown} shown=${shown} done=${() => setShown(null)} />`}
    <form class="panel" onSubmit=${create} data-testid="new-site">
      <label>Name <input name="name" value=${name} onInput=${(e) => setName(e.target.value)} required maxlength="64"
                          placeholder="e.g. Kanpur depot" /></label>
      <fieldset class="setting"><legend>Dispatch areas it writes in</legend>
        ${areas.map(
          (a) => html`<label key=${a.name} class="check"><input type="checkbox" checked=${chosen.includes(a.name)}
              onChange=${() => toggle(a.name)} /> ${a.name}</label>`,
        )}
      </fieldset>
      <button type="submit" class="primary" disabled=${chosen.length === 0}>Register the site</button>
      ${formError && html`<p class="error" role="alert">${formError}</p>`}
    </form>
    ${error && html`<${LoadError} error=${error} retry=${load} />`}
    ${sites &&
    html`<table class="cards" data-testid="sites">
      <thead><tr><th>Name</th><th>Areas</th><th>Last push</th><th>Cursor</th><th>Lag</th><th>Token</th><th></th></tr></thead>
      <tbody>
        ${sites.length === 0 && html`<tr><td colspan="6">No site yet.</td></tr>`}
        ${sites.map(
          (s) => html`<tr key=${s.id} data-name=${s.name}>
            <td data-label="Name">${s.name}<br /><small><code>${s.id}</code></small></td>
            <td data-label="Areas">${s.areas.join(', ')}</td>
            <td data-label="Last push">${s.last_push_at ? when(s.last_push_at) : 'never'}</td>
            <td data-label="Cursor">${s.cursor}</td>
            <td data-label="Lag" title="Operations the site had written at its last push that head office has not applied">${s.lag}</td>
            <td data-label="Token">${s.token === 'active' ? 'active' : html`<span class="tag bad">revoked</span>`}</td>
            <td>
              <${ConfirmButton} label=${s.token === 'active' ? 'New token' : 'Give a token'} testid=${'rotate-' + s.name}
                question=${`A new sync token for ${s.name}?`}
                consequence="The depot stops pushing until its token file holds the new one." confirmLabel="New token"
                onConfirm=${async () => {
                  show(await sitesApi.rotate(s.id));
                  await load();
                }} />
              ${s.token === 'active' &&
              html`<${ConfirmButton} label="Revoke" className="danger" testid=${'revoke-' + s.name}
                  question=${`Revoke the token of ${s.name}?`} consequence="The depot can no longer push."
                  confirmLabel="Revoke" onConfirm=${async () => {
                    await sitesApi.revoke(s.id);
                    await load();
                  }} />`}
            </td>
          </tr>`,
        )}
      </tbody>
    </table>`}
  </section>`;
}
