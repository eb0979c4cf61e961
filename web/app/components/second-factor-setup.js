// Turning two-factor sign-in on: the server makes a secret, the phone app reads it from the QR
// code (or it is typed in), and a first code from the app proves the two agree before it counts.
import { html, useEffect, useState } from '../ui.js';
import * as authApi from '../api/auth.js';
import { LoadError } from '../frame.js';
import { QrCode } from '../qr-code.js';

// The secret in groups of four, as apps show it and as it is easiest to type.
const groups = (secret) => secret.match(/.{1,4}/g) || [];

// onEnabled(recoveryCodes); onCancel: absent when there is no way around it; onAlreadyOn: the
// server says it is on already (another tab).
export function SecondFactorSetup({ onEnabled, onCancel, onAlreadyOn }) {
  const [setup, setSetup] = useState(null);  // {secret, qr}
  const [failure, setFailure] = useState(null);
  const [code, setCode] = useState('');
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const start = async () => {
    setFailure(null);
    try {
      setSetup(await authApi.setupSecondFactor());
    } catch (e) {
      if (e.code === 'second_factor_enabled') onAlreadyOn();
      else setFailure(e);
    }
  };
  useEffect(() => {
    start();
  }, []);
  const submit = async (e) => {
    e.preventDefault();
    setBusy(true);
    setError('');
    try {
      // Apps show the code as "123 456".
      const r = await authApi.enableSecondFactor(code.replace(/\s+/g, ''));
      onEnabled(r.recovery_codes);
    } catch (err) {
      setError(err.message);
      setBusy(false);
    }
  };
  if (failure) return html`<${LoadError} error=${failure} retry=${start} />`;
  if (!setup) return html`<p class="loading">Making a secret for your phone…</p>`;
  return html`<div class="panel second-factor-setup" data-testid="second-factor-setup">
    <h3>Turn on two-factor sign-in</h3>
    <ol class="steps">
      <li>
        <p>Open an authenticator app on your phone and add an account by scanning this code:</p>
        <${QrCode} qr=${setup.qr} label="QR code of the secret for your authenticator app" testid="second-factor-qr" />
        <p>Cannot scan it? Type this key into the app instead (the spaces do not matter):</p>
        <p><code class="secret" data-testid="second-factor-secret">
          ${groups(setup.secret).map((g, i) => html`${i > 0 ? ' ' : ''}<span key=${i}>${g}</span>`)}</code></p>
      </li>
      <li>
        <form onSubmit=${submit} data-testid="second-factor-enable">
          <label for="second-factor-code">Type the 6-digit code the app shows now</label>
          <div class="inline-form">
            <input id="second-factor-code" name="code" inputmode="numeric" autocomplete="one-time-code" class="otp"
                   required value=${code} onInput=${(e) => setCode(e.target.value)} />
            <button type="submit" class="primary" disabled=${busy}>Turn on</button>
            ${onCancel && html`<button type="button" onClick=${onCancel}>Cancel</button>`}
          </div>
        </form>
        ${error && html`<p class="error" role="alert" data-testid="second-factor-error">${error}</p>`}
      </li>
    </ol>
  </div>`;
}
