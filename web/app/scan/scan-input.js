// The always-ready scan field (SPEC §7), shared by every page that scans:
//   - a code ends at Enter or Tab only (no timing guesses); Tab submits and keeps the focus; the
//     empty submit that follows a CR+LF suffix is ignored;
//   - the value is read from the field when it is submitted (not rebuilt from key events, which
//     phone keyboards and some handheld scanners report oddly) and the field is cleared at once,
//     so the next code can be typed while the last one is still on its way: never disabled;
//   - focus comes back after every click, and printable keys typed while the focus is elsewhere
//     on the page go into the field; no single-key shortcuts anywhere;
//   - inputmode="none" keeps a phone's soft keyboard from popping up (and splitting codes); the
//     "Type by hand" switch brings it back.
import { html, useRef, useEffect, useState } from '../ui.js';

const editable = (el) =>
  el && (el.isContentEditable || el.tagName === 'INPUT' || el.tagName === 'TEXTAREA' || el.tagName === 'SELECT');

// Keys that arrive while a scanning page is still being drawn (right after signing in, or while it
// loads) are kept and given to its field when it appears: a scanner firing at that moment loses
// nothing. Only on the addresses of scanning pages, so keys typed elsewhere never become scans.
const scanningPage = () => /^\/(scan|bills\/[^/]+)$/.test(location.pathname);
const early = { text: '', codes: [] };
let mounted = 0;
document.addEventListener('keydown', (e) => {
  if (mounted || !scanningPage() || e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey || e.isComposing) return;
  if (editable(document.activeElement)) return;
  if (e.key.length === 1 && e.key !== ' ') {
    e.preventDefault();
    early.text += e.key;
  } else if ((e.key === 'Enter' || e.key === 'Tab') && early.text) {
    e.preventDefault();
    early.codes.push(early.text);
    early.text = '';
  }
});

// onCode(raw) is called once per code, synchronously, with the field's value; it returns the id
// of the scan (for the latency marks) or nothing.
export function ScanInput({ onCode, label = 'Scan a bag', children }) {
  const input = useRef(null);
  const [byHand, setByHand] = useState(false);

  const submit = () => {
    const el = input.current;
    const value = el.value;
    el.value = '';
    if (!value.trim()) return;
    const started = performance.now();
    const id = onCode(value);
    if (id) performance.mark(`scan:enter:${id}`, { startTime: started });
  };

  useEffect(() => {
    const el = input.current;
    mounted++;
    for (const code of early.codes.splice(0)) {
      el.value = code;
      submit();
    }
    el.value = early.text;
    early.text = '';
    const focus = () => {
      if (document.activeElement !== el && !editable(document.activeElement)) el.focus({ preventScroll: true });
    };
    focus();
    // Keys typed outside any field: a scanner fired while the focus was on a button or the page.
    const onKey = (e) => {
      if (e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey || e.isComposing) return;
      const target = document.activeElement;
      if (target === el || editable(target)) return;
      if (e.key.length === 1 && e.key !== ' ') {
        e.preventDefault();
        el.focus({ preventScroll: true });
        el.value += e.key;
      } else if ((e.key === 'Enter' || e.key === 'Tab') && el.value) {
        e.preventDefault();
        el.focus({ preventScroll: true });
        submit();
      }
    };
    // After any click (on the list, a button, the page), the field takes the focus back, unless
    // the click was in another field or selected text to copy.
    const onClick = (e) => {
      if (editable(e.target) || (e.target.closest && e.target.closest('[data-own-focus]'))) return;
      setTimeout(() => {
        if (String(getSelection && getSelection()) === '') focus();
      }, 0);
    };
    const onVisible = () => document.visibilityState === 'visible' && focus();
    document.addEventListener('keydown', onKey);
    document.addEventListener('click', onClick);
    addEventListener('focus', focus);
    document.addEventListener('visibilitychange', onVisible);
    return () => {
      mounted--;
      document.removeEventListener('keydown', onKey);
      document.removeEventListener('click', onClick);
      removeEventListener('focus', focus);
      document.removeEventListener('visibilitychange', onVisible);
    };
  }, []);

  const onKeyDown = (e) => {
    if (e.key === 'Tab' && !e.shiftKey && !e.ctrlKey && !e.altKey && !e.metaKey) {
      e.preventDefault();  // a Tab suffix ends the code and the focus stays (Shift+Tab leaves)
      submit();
    }
  };
  const onSubmit = (e) => {
    e.preventDefault();
    submit();
  };
  const toggleHand = () => {
    setByHand((on) => !on);
    setTimeout(() => input.current.focus(), 0);
  };

  return html`<form class="scan-form" onSubmit=${onSubmit} autocomplete="off">
    <label for="scan-input" class="scan-label">${label}</label>
    <div class="scan-field-row">
      <input id="scan-input" ref=${input} data-testid="scan-input" class="scan-input" type="text"
             inputmode=${byHand ? 'text' : 'none'} enterkeyhint="enter" autocomplete="off" autocorrect="off"
             autocapitalize="off" spellcheck="false" maxlength="200" onKeyDown=${onKeyDown}
             aria-describedby="scan-help" />
      <button type="button" class=${'quiet' + (byHand ? ' on' : '')} aria-pressed=${byHand} onClick=${toggleHand}>
        Type by hand
      </button>
      ${children}
    </div>
    <p id="scan-help" class="hint">Scan, or type a code and press Enter. Shift+Tab leaves the field.</p>
  </form>`;
}
