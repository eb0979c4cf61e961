// Camera scanning (SPEC §7), for phones and tablets without a wedge scanner. A decoded code goes
// through exactly the path of a typed one (the page's onCode). Browsers give the camera to secure
// pages only (https://, or localhost on the machine itself); elsewhere the page says so.
//
// The decoder is the browser's own BarcodeDetector where it has one, else zxing-wasm (web/vendor/
// zxing, served by the binary), loaded only when the camera is first opened.
import { html, useEffect, useRef, useState } from '../ui.js';

const SAME_CODE_MS = 2500;  // the same code in view again this soon is the same scan
const FRAME_MS = 120;

export function cameraAvailable() {
  return Boolean(window.isSecureContext && navigator.mediaDevices && navigator.mediaDevices.getUserMedia);
}

let decoderPromise = null;
function loadDecoder() {
  if (!decoderPromise) decoderPromise = makeDecoder();
  return decoderPromise;
}

async function makeDecoder() {
  if ('BarcodeDetector' in window) {
    const supported = await window.BarcodeDetector.getSupportedFormats().catch(() => []);
    const formats = ['qr_code', 'data_matrix'].filter((f) => supported.includes(f));
    if (formats.length) {
      const detector = new window.BarcodeDetector({ formats });
      return async (canvas) => (await detector.detect(canvas)).map((b) => b.rawValue);
    }
  }
  const zxing = await import('../../vendor/zxing/reader/index.js');
  zxing.prepareZXingModule({ overrides: { locateFile: (file) => '/vendor/zxing/' + file }, fireImmediately: true });
  return async (canvas) => {
    const image = canvas.getContext('2d', { willReadFrequently: true }).getImageData(0, 0, canvas.width, canvas.height);
    const results = await zxing.readBarcodes(image, { formats: ['QRCode', 'DataMatrix'], tryHarder: true, maxNumberOfSymbols: 1 });
    return results.filter((r) => r.isValid).map((r) => r.text);
  };
}

// onCode(code): called once per code seen (the same code must leave the view, or wait, to count
// again).
export function CameraScan({ onCode }) {
  const [open, setOpen] = useState(false);
  if (!cameraAvailable()) {
    return html`<p class="hint camera-note" data-testid="camera-unavailable">
      Camera scanning needs a secure address (https://, or localhost on this machine): this page is not one.
    </p>`;
  }
  return html`<button type="button" class=${'quiet' + (open ? ' on' : '')} aria-pressed=${open} data-testid="camera-toggle"
                      onClick=${() => setOpen(!open)}>${open ? 'Close camera' : 'Scan with camera'}</button>
    ${open && html`<${CameraView} onCode=${onCode} />`}`;
}

function CameraView({ onCode }) {
  const video = useRef(null);
  const [status, setStatus] = useState('Starting the camera…');
  useEffect(() => {
    let stream = null;
    let stopped = false;
    let timer = null;
    const last = { code: '', at: 0 };
    const canvas = document.createElement('canvas');
    (async () => {
      try {
        stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: 'environment' }, audio: false });
        if (stopped) return;
        video.current.srcObject = stream;
        await video.current.play();
        setStatus('Loading the decoder…');
        const decode = await loadDecoder();
        setStatus('Point the camera at a bag code.');
        const frame = async () => {
          if (stopped) return;
          const v = video.current;
          if (v && v.videoWidth) {
            canvas.width = v.videoWidth;
            canvas.height = v.videoHeight;
            canvas.getContext('2d', { willReadFrequently: true }).drawImage(v, 0, 0);
            try {
              const [code] = await decode(canvas);
              const now = Date.now();
              if (code && (code !== last.code || now - last.at > SAME_CODE_MS)) {
                onCode(code);
                setStatus(`Read ${code}`);
              }
              if (code) {
                last.code = code;
                last.at = now;
              }
            } catch {
              // an unreadable frame: the next one
            }
          }
          timer = setTimeout(frame, FRAME_MS);
        };
        frame();
      } catch (e) {
        setStatus(e.name === 'NotAllowedError' ? 'The camera was not allowed: allow it in the browser to scan with it.' : `No camera: ${e.message}`);
      }
    })();
    return () => {
      stopped = true;
      clearTimeout(timer);
      if (stream) for (const t of stream.getTracks()) t.stop();
    };
  }, []);
  return html`<div class="camera" data-own-focus data-testid="camera">
    <video ref=${video} muted playsinline></video>
    <p class="hint" role="status" data-testid="camera-status">${status}</p>
  </div>`;
}
