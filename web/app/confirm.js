// A confirmation inside the page (never the browser's confirm(), which blocks the page and
// swallows a scanner's keys): the button opens a panel that says what will happen, with a button
// to go ahead and one to keep things as they are.
import { html, useState } from './ui.js';

export function ConfirmButton({ label, question, consequence, confirmLabel, onConfirm, className = '', testid }) {
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  if (!open) {
    return html`<button type="button" class=${className} data-testid=${testid} onClick=${() => setOpen(true)}>${label}</button>`;
  }
  const go = async () => {
    setBusy(true);
    setError('');
    try {
      await onConfirm();
      setOpen(false);
    } catch (e) {
      setError(e.message);
    } finally {
      setBusy(false);
    }
  };
  return html`<div class="confirm" role="alertdialog" aria-label=${question} data-testid=${testid && testid + '-confirm'}>
    <p><strong>${question}</strong> ${consequence}</p>
    ${error && html`<p class="error" role="alert">${error}</p>`}
    <button type="button" class="danger" disabled=${busy} onClick=${go}>${confirmLabel}</button>
    <button type="button" onClick=${() => setOpen(false)}>Keep it</button>
  </div>`;
}
