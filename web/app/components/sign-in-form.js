// The sign-in form of /login, also used in place on the scan screen when a session expires (with
// the user fixed, so waiting scans are sent as the person who made them). Two steps for an account
// with two-factor sign-in: the password, then a code from the authenticator app or a recovery code.
import { html, useState, useEffect, useRef } from '../ui.js';
import { signIn, signInSecondFactor } from '../session.js';

export function SignInForm({ onDone, fixedUser, autofocus = true }) {
  const [username, setUsername] = useState(fixedUser || '');
  const [password, setPassword] = useState('');
  const [challenge, setChallenge] = useState('');  // set: the password was right, a code is due
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const first = useRef(null);
  useEffect(() => {
    if (autofocus && first.current) first.current.focus();
  }, []);
  const run = async (step) => {
    if (busy) return;
    setBusy(true);
    setError('');
    try {
      await step();
    } catch (err) {
      // The challenge is gone (too old, too many wrong codes): only the password step can go on.
      if (err.code === 'challenge_expired') setChallenge('');
      setError(err.message);
    } finally {
      setBusy(false);
    }
  };
  const done = () => {
    setPassword('');
    setChallenge('');
    onDone && onDone();
  };
  const submitPassword = (e) => {
    e.preventDefault();
    run(async () => {
      const result = await signIn(fixedUser || username.trim(), password);
      if (result && result.challenge) {
        setPassword('');
        setChallenge(result.challenge);
      } else {
        done();
      }
    });
  };
  if (challenge) {
    const back = () => {
      setChallenge('');
      setError('');
    };
    const answer = (proof) => run(async () => {
      await signInSecondFactor(challenge, proof);
      done();
    });
    return html`<${SecondStep} user=${fixedUser || username.trim()} busy=${busy} error=${error} onAnswer=${answer}
                               onBack=${back} autofocus=${autofocus} />`;
  }
  return html`<form class="signin" onSubmit=${submitPassword} data-testid="signin">
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

// The second step: the 6-digit code from the app, or one of the recovery codes kept on paper.
// Focused at once on /login (the person has just sent the password and reaches for the phone);
// on the scan screen, as with the password, the worker taps the field: a scanner may be firing.
function SecondStep({ user, busy, error, onAnswer, onBack, autofocus }) {
  const [recovery, setRecovery] = useState(false);
  const [value, setValue] = useState('');
  const field = useRef(null);
  const switched = useRef(false);
  useEffect(() => {
    if ((autofocus || switched.current) && field.current) field.current.focus();
  }, [recovery]);
  const submit = (e) => {
    e.preventDefault();
    // Apps show the code as "123 456"; recovery codes may be copied with spaces around them.
    onAnswer(recovery ? { recovery_code: value.trim() } : { code: value.replace(/\s+/g, '') });
  };
  const switchTo = (useRecovery) => {
    switched.current = true;  // asked for by a click: the new field may take the focus
    setRecovery(useRecovery);
    setValue('');
  };
  return html`<form class="signin" onSubmit=${submit} data-testid="signin" data-step=${recovery ? 'recovery' : 'code'}>
    <p>Signing in as <strong>${user}</strong>.</p>
    <label class="step-label" for="signin-second-factor">${recovery
      ? 'Enter one of your recovery codes'
      : 'Enter the 6-digit code from your authenticator app'}</label>
    ${recovery
      ? html`<input ref=${field} key="recovery" id="signin-second-factor" name="recovery_code" autocomplete="off"
                    autocapitalize="off" spellcheck="false" value=${value} onInput=${(e) => setValue(e.target.value)} required />`
      : html`<input ref=${field} key="code" id="signin-second-factor" name="code" inputmode="numeric"
                    autocomplete="one-time-code" class="otp" value=${value} onInput=${(e) => setValue(e.target.value)} required />`}
    ${error && html`<p class="error" role="alert">${error}</p>`}
    <button type="submit" class="primary" disabled=${busy}>${busy ? 'Signing in…' : 'Sign in'}</button>
    <div class="signin-links">
      <button type="button" class="link" onClick=${() => switchTo(!recovery)} data-testid="use-recovery">
        ${recovery ? 'Use the code from the app instead' : 'Use a recovery code instead'}</button>
      <button type="button" class="link" onClick=${onBack}>Back</button>
    </div>
  </form>`;
}
