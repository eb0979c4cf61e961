// /account (SPEC §3.9): one's own password (changing it ends one's other sessions), two-factor
// sign-in, and the sessions one has open, with a way to sign out every other device. An
// administrator who must set up two-factor sign-in first sees only that part: the rest would be
// refused until it is on.
import { html, useEffect, useState, useLoad } from '../ui.js';
import * as authApi from '../api/auth.js';
import { title, LoadError } from '../frame.js';
import { when } from '../format.js';
import { roleNames } from '../session.js';
import { SecondFactorSection } from '../components/second-factor.js';

export function AccountPage({ session: s }) {
  useEffect(() => title('Account'), []);
  const u = s.user;
  return html`<section class="account-page">
    <h1>Your account</h1>
    <dl class="facts">
      <dt>User name</dt><dd>${u.username}</dd>
      <dt>Role</dt><dd>${roleNames[u.role]}</dd>
      <dt>Area</dt><dd>${u.area || 'every area'}</dd>
      <dt>E-mail</dt><dd>${u.email || '–'}</dd>
      <dt>Password changed</dt><dd>${when(u.password_changed_at)}</dd>
    </dl>
    <${SecondFactorSection} user=${u} setupFirst=${s.setupRequired} />
    ${!s.setupRequired && html`<${PasswordAndSessions} />`}
  </section>`;
}

function PasswordAndSessions() {
  const [note, setNote] = useState('');
  const [failure, setFailure] = useState(null);
  const { data, error: loadError, reload: load } = useLoad(() => authApi.sessions());
  const sessions = data && data.sessions;
  const error = failure || loadError;
  const endOthers = async () => {
    try {
      const r = await authApi.endOtherSessions();
      setNote(r.ended === 1 ? 'One other session was ended.' : `${r.ended} other sessions were ended.`);
      setFailure(null);
      load();
    } catch (e) {
      setFailure(e);
    }
  };
  return html`
    <${ChangePassword} onChanged=${() => {
      setNote('Your password was changed; your other sessions were ended.');
      load();
    }} />
    <h2>Your sessions</h2>
    ${note && html`<p class="banner ok" role="status" data-testid="account-note">${note}</p>`}
    ${error && html`<${LoadError} error=${error} retry=${load} />`}
    ${sessions &&
    html`<table class="cards" data-testid="sessions">
        <thead><tr><th>Signed in</th><th>Last used</th><th>Ends at the latest</th><th>From</th><th>Browser</th></tr></thead>
        <tbody>
          ${sessions.map(
            (x, i) => html`<tr key=${i} class=${x.current ? 'current' : ''}>
              <td data-label="Signed in">${when(x.created_at)}${x.current ? html` <span class="tag">this one</span>` : ''}</td>
              <td data-label="Last used">${when(x.last_seen_at)}</td>
              <td data-label="Ends at the latest">${when(x.expires_at)}</td>
              <td data-label="From">${x.client || '–'}</td>
              <td data-label="Browser">${x.user_agent || '–'}</td>
            </tr>`,
          )}
        </tbody>
      </table>
      <button type="button" onClick=${endOthers} disabled=${sessions.length < 2} data-testid="end-others">
        Sign out every other device</button>`}
  `;
}

function ChangePassword({ onChanged }) {
  const [values, setValues] = useState({ old: '', new1: '', new2: '' });
  const [error, setError] = useState('');
  const bind = (name) => ({ name, value: values[name], onInput: (e) => setValues({ ...values, [name]: e.target.value }) });
  const submit = async (e) => {
    e.preventDefault();
    setError('');
    if (values.new1 !== values.new2) return setError('The two new passwords differ.');
    try {
      await authApi.changePassword(values.old, values.new1);
      setValues({ old: '', new1: '', new2: '' });
      onChanged();
    } catch (err) {
      setError(err.message);
    }
  };
  return html`<form class="panel form-grid" onSubmit=${submit} data-testid="change-password">
    <h2>Change your password</h2>
    <label>Current password <input type="password" autocomplete="current-password" required ...${bind('old')} /></label>
    <label>New password <input type="password" autocomplete="new-password" required ...${bind('new1')} /></label>
    <label>New password again <input type="password" autocomplete="new-password" required ...${bind('new2')} /></label>
    ${error && html`<p class="error" role="alert">${error}</p>`}
    <div class="actions"><button type="submit" class="primary">Change the password</button></div>
  </form>`;
}
