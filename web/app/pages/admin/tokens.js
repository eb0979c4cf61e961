// /admin/tokens (SPEC §4): API tokens for scripts and integrations. A token's secret is shown once,
// when it is created; it acts as the user it belongs to until revoked.
import { html, useEffect, useState, useLoad } from '../../ui.js';
import * as tokensApi from '../../api/tokens.js';
import * as usersApi from '../../api/users.js';
import { title, LoadError } from '../../frame.js';
import { when } from '../../format.js';
import { ConfirmButton } from '../../confirm.js';

export function TokensPage({ session }) {
  const [secret, setSecret] = useState(null);
  const [values, setValues] = useState({ name: '', username: session.user.username });
  const [formError, setFormError] = useState('');
  const { data, error, reload: load } = useLoad(async () => {
    const [t, u] = await Promise.all([tokensApi.list(), usersApi.list()]);
    return { tokens: t.tokens, users: u.users.filter((x) => x.active) };
  });
  const tokens = data && data.tokens;
  const users = (data && data.users) || [];
  useEffect(() => title('API tokens'), []);
  const create = async (e) => {
    e.preventDefault();
    setFormError('');
    try {
      const r = await tokensApi.create({ name: values.name.trim(), username: values.username });
      setSecret({ name: r.token.name, token: r.token.token });
      setValues({ ...values, name: '' });
      load();
    } catch (err) {
      setFormError(err.message);
    }
  };
  return html`<section class="admin-page">
    <h1>API tokens</h1>
    ${secret && html`<div class="banner ok" role="status" data-testid="token-secret">
      <span>Token <strong>${secret.name}</strong>, shown once: <code data-testid="token-value">${secret.token}</code>.
        Send it as <code>Authorization: Bearer …</code>.</span>
      <button type="button" onClick=${() => setSecret(null)}>Done</button>
    </div>`}
    <form class="inline-form panel" onSubmit=${create} data-testid="new-token">
      <label>Name <input value=${values.name} onInput=${(e) => setValues({ ...values, name: e.target.value })} required maxlength="100"
                          placeholder="e.g. weighbridge" /></label>
      <label>Acts as <select value=${values.username} onChange=${(e) => setValues({ ...values, username: e.target.value })}>
        ${users.map((u) => html`<option key=${u.username} value=${u.username}>${u.username} (${u.role})</option>`)}</select></label>
      <button type="submit" class="primary">Create a token</button>
      ${formError && html`<p class="error" role="alert">${formError}</p>`}
    </form>
    ${error && html`<${LoadError} error=${error} retry=${load} />`}
    ${tokens &&
    html`<table class="cards" data-testid="tokens">
      <thead><tr><th>Name</th><th>Acts as</th><th>Created</th><th>Last used</th><th>Status</th><th></th></tr></thead>
      <tbody>
        ${tokens.map(
          (t) => html`<tr key=${t.id} data-name=${t.name}>
            <td data-label="Name">${t.name}</td>
            <td data-label="Acts as">${t.user}</td>
            <td data-label="Created">${when(t.created_at)}${t.created_by ? ' by ' + t.created_by : ''}</td>
            <td data-label="Last used">${t.last_used_at ? when(t.last_used_at) : 'never'}</td>
            <td data-label="Status">${t.active ? 'active' : html`<span class="tag bad">revoked ${when(t.revoked_at)}</span>`}</td>
            <td>${t.active &&
            html`<${ConfirmButton} label="Revoke" className="danger" testid=${'revoke-' + t.name} question=${`Revoke ${t.name}?`}
                  consequence="Anything using it stops working at once." confirmLabel="Revoke"
                  onConfirm=${async () => {
                    await tokensApi.revoke(t.id);
                    await load();
                  }} />`}</td>
          </tr>`,
        )}
      </tbody>
    </table>`}
  </section>`;
}
