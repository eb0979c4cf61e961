// /admin/users (SPEC §3.9): accounts: create, change role, area and e-mail, deactivate and
// reactivate, reset a forgotten password (depots have no mail server: the administrator hands
// the new password over), and reset two-factor sign-in for someone who lost their phone.
import { html, useEffect, useState, useLoad } from '../../ui.js';
import * as areasApi from '../../api/areas.js';
import * as usersApi from '../../api/users.js';
import { title, LoadError } from '../../frame.js';
import { when, day } from '../../format.js';
import { roleNames } from '../../session.js';
import { ConfirmButton } from '../../confirm.js';

const ROLES = ['dispatcher', 'biller', 'admin'];

// A password to hand over: 15 letters and digits in three groups, from the browser's CSPRNG.
export function newPassword() {
  const alphabet = 'abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';
  const bytes = crypto.getRandomValues(new Uint8Array(15));
  const chars = [...bytes].map((b) => alphabet[b % alphabet.length]).join('');
  return `${chars.slice(0, 5)}-${chars.slice(5, 10)}-${chars.slice(10)}`;
}

export function UsersPage() {
  const [shown, setShown] = useState(null);  // {username, password}: shown once
  const { data, error, reload: load } = useLoad(async () => {
    const [u, a] = await Promise.all([usersApi.list(), areasApi.list()]);
    return { users: u.users, areas: a.areas };
  });
  const users = data && data.users;
  const areas = (data && data.areas) || [];
  useEffect(() => title('Users'), []);
  return html`<section class="admin-page">
    <h1>Users</h1>
    ${shown && html`<div class="banner ok" role="status" data-testid="password-shown">
      <span>Password of <strong>${shown.username}</strong>, shown once: <code data-testid="new-password">${shown.password}</code>.
        Hand it over; they can change it on their account page.</span>
      <button type="button" onClick=${() => setShown(null)}>Done</button>
    </div>`}
    <${NewUser} areas=${areas} created=${(username, password) => {
      setShown({ username, password });
      load();
    }} />
    ${error && html`<${LoadError} error=${error} retry=${load} />`}
    ${users &&
    html`<div class="table-wrap"><table class="cards" data-testid="users">
      <thead><tr><th>User</th><th>Role</th><th>Area</th><th>E-mail</th><th>Status</th><th>Two-factor</th><th>Created</th><th></th></tr></thead>
      <tbody>
        ${users.map((u) => html`<${UserRow} key=${u.username} user=${u} areas=${areas} reload=${load}
                                             showPassword=${(password) => setShown({ username: u.username, password })} />`)}
      </tbody>
    </table></div>`}
  </section>`;
}

function UserRow({ user: u, areas, reload, showPassword }) {
  const [editing, setEditing] = useState(false);
  const [values, setValues] = useState({ role: u.role, area: u.area || '', email: u.email || '' });
  const [error, setError] = useState('');
  const change = async (body) => {
    setError('');
    try {
      await usersApi.update(u.username, body);
      await reload();
      return true;
    } catch (e) {
      setError(e.message);
      return false;
    }
  };
  const save = async (e) => {
    e.preventDefault();
    if (await change({ role: values.role, area: values.area || null, email: values.email.trim() || null })) setEditing(false);
  };
  const reset = async () => {
    const password = newPassword();
    await usersApi.update(u.username, { password });
    showPassword(password);
    await reload();
  };
  const resetSecondFactor = async () => {
    await usersApi.resetSecondFactor(u.username);
    await reload();
  };
  return html`<tr data-username=${u.username} class=${u.active ? '' : 'inactive'}>
    <td data-label="User"><strong>${u.username}</strong></td>
    ${editing
      ? html`<td colspan="3" data-label="Change">
          <form class="inline-form" onSubmit=${save}>
            <label>Role <select value=${values.role} onChange=${(e) => setValues({ ...values, role: e.target.value })}>
              ${ROLES.map((r) => html`<option key=${r} value=${r}>${roleNames[r]}</option>`)}</select></label>
            <label>Area <select value=${values.area} onChange=${(e) => setValues({ ...values, area: e.target.value })}>
              <option value="">No area (administrators)</option>
              ${areas.map((a) => html`<option key=${a.id} value=${a.name}>${a.name}</option>`)}</select></label>
            <label>E-mail <input type="email" value=${values.email} onInput=${(e) => setValues({ ...values, email: e.target.value })} /></label>
            <button type="submit" class="primary">Save</button>
            <button type="button" onClick=${() => setEditing(false)}>Cancel</button>
          </form>
          ${error && html`<p class="error" role="alert">${error}</p>`}
        </td>`
      : html`<td data-label="Role">${roleNames[u.role]}</td>
          <td data-label="Area">${u.area || '–'}</td>
          <td data-label="E-mail">${u.email || '–'}</td>`}
    <td data-label="Status">${u.active ? 'active' : html`<span class="tag bad">deactivated</span>`}</td>
    <td data-label="Two-factor" data-testid=${'second-factor-' + u.username}>
      ${u.second_factor
        ? html`<span class="tag ok">on</span> <span title=${when(u.second_factor_since)}>since ${day(u.second_factor_since)}</span>`
        : 'off'}</td>
    <td data-label="Created">${when(u.created_at)}</td>
    <td class="row-actions">
      ${!editing && html`<button type="button" onClick=${() => setEditing(true)}>Edit</button>`}
      <${ConfirmButton} label="Reset password" testid=${'reset-' + u.username} question=${`Give ${u.username} a new password?`}
        consequence="Their current password stops working and their sessions end; the new one is shown once." confirmLabel="Reset"
        onConfirm=${reset} />
      ${u.second_factor &&
      html`<${ConfirmButton} label="Reset two-factor" testid=${'reset-second-factor-' + u.username}
        question=${`Reset two-factor sign-in of ${u.username}?`}
        consequence="For a lost phone: they sign in with their password alone until they set up a new one. The reset is in the audit log."
        confirmLabel="Reset two-factor" onConfirm=${resetSecondFactor} />`}
      ${u.active
        ? html`<${ConfirmButton} label="Deactivate" className="danger" testid=${'deactivate-' + u.username}
            question=${`Deactivate ${u.username}?`} consequence="They can no longer sign in; their scans and history stay."
            confirmLabel="Deactivate" onConfirm=${() => change({ active: false })} />`
        : html`<button type="button" onClick=${() => change({ active: true })}>Reactivate</button>`}
      ${!editing && error && html`<p class="error" role="alert">${error}</p>`}
    </td>
  </tr>`;
}

function NewUser({ areas, created }) {
  const [open, setOpen] = useState(false);
  const [values, setValues] = useState({ username: '', role: 'dispatcher', area: '', email: '', password: '' });
  const [error, setError] = useState('');
  if (!open) return html`<button type="button" class="primary" onClick=${() => setOpen(true)}>New user</button>`;
  const bind = (name) => ({ name, value: values[name], onInput: (e) => setValues({ ...values, [name]: e.target.value }) });
  const submit = async (e) => {
    e.preventDefault();
    setError('');
    const password = values.password || newPassword();
    const body = { username: values.username.trim(), role: values.role, password };
    if (values.area) body.area = values.area;
    if (values.email.trim()) body.email = values.email.trim();
    try {
      await usersApi.create(body);
      setOpen(false);
      setValues({ username: '', role: 'dispatcher', area: '', email: '', password: '' });
      created(body.username, password);
    } catch (err) {
      setError(err.message);
    }
  };
  return html`<form class="panel form-grid" onSubmit=${submit} data-testid="new-user">
    <h2>New user</h2>
    <label>User name <input ...${bind('username')} required autocomplete="off" autocapitalize="off" spellcheck="false" /></label>
    <label>Role <select ...${bind('role')} onChange=${bind('role').onInput}>
      ${ROLES.map((r) => html`<option key=${r} value=${r}>${roleNames[r]}</option>`)}</select></label>
    <label>Area <select ...${bind('area')} onChange=${bind('area').onInput}>
      <option value="">No area (administrators)</option>
      ${areas.map((a) => html`<option key=${a.id} value=${a.name}>${a.name}</option>`)}</select></label>
    <label>E-mail (optional) <input type="email" ...${bind('email')} /></label>
    <label>Password (empty: one is made and shown once) <input type="text" autocomplete="off" ...${bind('password')} /></label>
    ${error && html`<p class="error" role="alert">${error}</p>`}
    <div class="actions"><button type="submit" class="primary">Create the user</button>
      <button type="button" onClick=${() => setOpen(false)}>Cancel</button></div>
  </form>`;
}
