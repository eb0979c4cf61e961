// A QR code drawn from the server's path data ({size, path}: dark modules in module units of a
// size × size box), built as SVG elements so nothing is ever inserted as markup. Four modules of
// white around it are the quiet zone a camera needs to find the code.
import { html } from './ui.js';

const QUIET = 4;
const ABOUT_PX = 240;  // large enough for a phone camera held at arm's length

export function QrCode({ qr, label, testid }) {
  const box = qr.size + 2 * QUIET;
  // A whole number of pixels per module: every module the same width, no blurred edges.
  const side = box * Math.max(3, Math.floor(ABOUT_PX / box));
  return html`<svg class="qr" width=${side} height=${side} viewBox=${`${-QUIET} ${-QUIET} ${box} ${box}`} role="img"
                   aria-label=${label} data-testid=${testid} shape-rendering="crispEdges">
    <rect x=${-QUIET} y=${-QUIET} width=${box} height=${box} fill="#fff" />
    <path d=${qr.path} fill="#000" />
  </svg>`;
}
