// /login: sign in, then back to the page that asked (?next=), or to the scan screen.
import { html, useState, useEffect, useRef, useStore } from '../ui.js';
import { navigate, queryParams } from '../router.js';
import { session, signIn } from '../session.js';
import { title } from '../frame.js';

// Only an address of this site: "next" comes from the address bar and must not send anyone away.
export function safeNext(next) {
  return next && next.startsWith('/') && !next.startsWith('//') && !next.startsWith('/login') ? next : '/scan';
}

export function LoginPage({ search }) {
  const s = useStore(session);
  const next = safeNext(queryParams(search).next);
  useEffect(() => title('Sign in'), []);
  useEffect(() => {
    if (s.state === 'signed_in' && !s.expired) navigate(next, { replace: true });
  }, [s.state, s.expired]);
  return html`<main id="main" class="login">
    <h1>TraceTrack</h1>
    <${SignInForm} onDone=${() => navigate(next, { replace: true })} />
  </main>`;
}

// The sign-in form, also used in place on the scan screen when a session expires (with the user
// fixed, so waiting scans are sent as the person who made them).
export function SignInForm({ onDone, fixedUser, autofocus = true }) {
  const [username, setUsername] = useState(fixedUser || '');
  const [password, setPassword] = useState('');
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const first = useRef(null);
  useEffect(() => {
    if (autofocus && first.current) first.current.focus();
  }, []);
  const submit = async (e) => {
    e.preventDefault();
    if (busy) return;
    setBusy(true);
    setError('');
    try {
      await signIn(fixedUser || username.trim(), password);
      setPassword('');
      onDone && onDone();
    } catch (err) {
      setError(err.message);
    } finally {
      setBusy(false);
    }
  };
  return html`<form class="signin" onSubmit=${submit} data-testid="signin">
    ${fixedUser
      ? html`<p>Signed out: sign in again as <strong>${fixedUser}</strong> to send the waiting scans.</p>`
      : html`<label>Username
          <input ref=${first} name="username" autocomplete="username" autocapitalize="off" spellcheck="false"
                 value=${username} onInput=${(e) => setUsername(e.target.value)} required />
        </label>`}
    <label>Password
      <input ref=${fixedUser ? first : null} name="password" type="password" autocomplete="current-password"
             value=${password} onInput=${(e) => setPassword(e.target.value)} required />
    </label>
    ${error && html`<p class="error" role="alert">${error}</p>`}
    <button type="submit" class="primary" disabled=${busy}>${busy ? 'Signing in…' : 'Sign in'}</button>
  </form>`;
}
