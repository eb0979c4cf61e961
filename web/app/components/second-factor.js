// The two-factor sign-in part of /account (SPEC §3.9): whether it is on, turning it on (a QR code
// and a first code), recovery codes shown once, new recovery codes and turning it off (both ask
// for the password, so an unlocked browser left open is not enough).
import { html, useState, useLoad } from '../ui.js';
import * as authApi from '../api/auth.js';
import { LoadError } from '../frame.js';
import { when } from '../format.js';
import { loadSession } from '../session.js';
import { RecoveryCodes } from '../recovery-codes.js';
import { SecondFactorSetup } from './second-factor-setup.js';

// setupFirst: nothing else works until it is on (an administrator, by the setting), so the set-up
// opens at once.
export function SecondFactorSection({ user, setupFirst }) {
  const { data: state, error, reload } = useLoad(() => authApi.secondFactor());
  const [panel, setPanel] = useState(setupFirst ? 'setup' : null);  // 'setup' | 'renew' | 'off'
  const [codes, setCodes] = useState(null);  // recovery codes to show this once
  const [note, setNote] = useState('');
  const open = (which) => {
    setNote('');
    setPanel(which);
  };
  // Reads the state again, and the session: the user's flag and a set-up that was required change.
  const changed = async () => {
    setPanel(null);
    await reload();
    await loadSession();
  };
  const turnedOn = async (recoveryCodes) => {
    setCodes(recoveryCodes);
    await changed();
  };
  const renew = async (password) => {
    const r = await authApi.renewRecoveryCodes(password);
    setCodes(r.recovery_codes);
    await changed();
  };
  const turnOff = async (password) => {
    await authApi.disableSecondFactor(password);
    setNote('Two-factor sign-in is off: you sign in with your password alone.');
    await changed();
  };
  const kept = () => {
    setCodes(null);
    reload();
  };

  let body = null;
  if (codes) {
    body = html`<${RecoveryCodes} codes=${codes} username=${user.username} onKept=${kept} />`;
  } else if (panel === 'setup') {
    body = html`<${SecondFactorSetup} onEnabled=${turnedOn} onCancel=${setupFirst ? null : () => setPanel(null)}
                                      onAlreadyOn=${changed} />`;
  } else if (panel === 'renew') {
    body = html`<${PasswordAsk} testid="renew-codes" submitLabel="Make new recovery codes" onSubmit=${renew}
      onCancel=${() => setPanel(null)}
      explain="New codes replace the ones you have: the old ones stop working." />`;
  } else if (panel === 'off') {
    body = html`<${PasswordAsk} testid="turn-off" submitLabel="Turn off" danger onSubmit=${turnOff}
      onCancel=${() => setPanel(null)}
      explain="Signing in will need your password alone; your recovery codes stop working." />`;
  } else if (state) {
    body = html`<div class="actions">
      ${state.enabled
        ? html`<button type="button" onClick=${() => open('renew')} data-testid="new-recovery-codes">New recovery codes</button>
            ${!state.required && html`<button type="button" onClick=${() => open('off')} data-testid="turn-off-open">Turn off</button>`}`
        : html`<button type="button" class="primary" onClick=${() => open('setup')} data-testid="turn-on">Turn on</button>`}
    </div>`;
  }
  return html`<section class="second-factor" data-testid="second-factor" aria-labelledby="second-factor-title">
    <h2 id="second-factor-title">Two-factor sign-in</h2>
    ${error && html`<${LoadError} error=${error} retry=${reload} />`}
    ${state && html`<${State} state=${state} />`}
    ${note && html`<p class="banner ok" role="status">${note}</p>`}
    ${body}
  </section>`;
}

function State({ state }) {
  if (!state.enabled) {
    return html`<p data-testid="second-factor-state"><span class="tag">Off</span> You sign in with your password alone.
      With two-factor sign-in, signing in also takes a code from an app on your phone, so a password that
      others have learned is not enough.</p>`;
  }
  const left = state.recovery_codes_left;
  return html`<p data-testid="second-factor-state"><span class="tag ok">On</span> since ${when(state.since)}:
      signing in takes your password and a code from your phone.
      ${' '}<span data-testid="recovery-codes-left">${left === 1 ? '1 recovery code' : `${left} recovery codes`} left.</span></p>
    ${left <= 3 && html`<p class="hint">Few recovery codes are left: make new ones before they run out.</p>`}
    ${state.required &&
    html`<p class="hint" data-testid="second-factor-kept">Administrators must keep two-factor sign-in (a setting), so it
      cannot be turned off here. A lost phone: another administrator can reset it on the users page.</p>`}`;
}

// Asks for the password before a change that a borrowed session must not make.
function PasswordAsk({ testid, explain, submitLabel, danger = false, onSubmit, onCancel }) {
  const [password, setPassword] = useState('');
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const submit = async (e) => {
    e.preventDefault();
    setBusy(true);
    setError('');
    try {
      await onSubmit(password);
    } catch (err) {
      setError(err.message);
      setBusy(false);
    }
  };
  return html`<form class="panel form-grid" onSubmit=${submit} data-testid=${testid}>
    <p class="wide">${explain}</p>
    <label>Your password
      <input type="password" name="password" autocomplete="current-password" required value=${password}
             onInput=${(e) => setPassword(e.target.value)} />
    </label>
    ${error && html`<p class="error" role="alert">${error}</p>`}
    <div class="actions">
      <button type="submit" class=${danger ? 'danger' : 'primary'} disabled=${busy}>${submitLabel}</button>
      <button type="button" onClick=${onCancel}>Cancel</button>
    </div>
  </form>`;
}
