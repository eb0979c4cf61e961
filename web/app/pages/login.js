// /login: sign in, then back to the page that asked (?next=), or to the scan screen.
import { html, useEffect, useStore } from '../ui.js';
import { navigate, queryParams } from '../router.js';
import { session } from '../session.js';
import { title } from '../frame.js';
import { SignInForm } from '../components/sign-in-form.js';

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
