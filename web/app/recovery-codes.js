// Recovery codes, shown once (the server keeps only their hashes): a list to print or copy, and a
// button the person presses once they have kept them, so the codes never vanish by accident.
import { html, useRef, useState } from './ui.js';

export function RecoveryCodes({ codes, username, onKept }) {
  const [copied, setCopied] = useState('');
  const list = useRef(null);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(codes.join('\n') + '\n');
      setCopied('Copied: paste them somewhere safe.');
    } catch {
      // No clipboard for this page (an insecure address, a refusal): select them to copy by hand.
      const range = document.createRange();
      range.selectNodeContents(list.current);
      const selection = getSelection();
      selection.removeAllRanges();
      selection.addRange(range);
      setCopied('Selected: copy them with Ctrl+C.');
    }
  };
  return html`<div class="recovery-codes" data-testid="recovery-codes">
    <h3>Your recovery codes</h3>
    <p class="print-only">TraceTrack recovery codes of ${username}, made ${new Date().toLocaleDateString()}.</p>
    <p class="no-print">Each code signs you in once, instead of a code from the phone: keep them where you keep
      important papers. They are shown only now.</p>
    <ol ref=${list} data-testid="recovery-code-list">
      ${codes.map((c) => html`<li key=${c}><code>${c}</code></li>`)}
    </ol>
    ${copied && html`<p class="hint no-print" role="status" data-testid="codes-copied">${copied}</p>`}
    <div class="actions">
      <button type="button" onClick=${() => window.print()}>Print</button>
      <button type="button" onClick=${copy}>Copy</button>
      <button type="button" class="primary" onClick=${onKept} data-testid="codes-kept">I have kept them</button>
    </div>
  </div>`;
}
