// What a scan sounds and feels like (SPEC §7): a distinct tone for each outcome, made with Web Audio
// oscillators (no sound files), vibration where the device has it, and a `tt:feedback` event on the
// window with the outcome (for tests and for anything else on the page that wants to react).
//
//   linked      one short high beep
//   already     two soft blips (a double scan: not an error, but worth a glance)
//   rejected    a long low buzz, twice: it must reach someone looking at the bag, not the screen
//   parent      a rising pair: a new current parent
//   queued      a quick chirp: no answer from the server, the scan waits in the queue
//
// Browsers start audio suspended until a user gesture: the context is created (or resumed) on the
// first key or click of the page, and a scanner's keystrokes count as one.
const MUTE_KEY = 'tt.sound.muted';
let ctx = null;

export function isMuted() {
  return localStorage.getItem(MUTE_KEY) === '1';
}

export function setMuted(muted) {
  localStorage.setItem(MUTE_KEY, muted ? '1' : '0');
}

function audio() {
  if (!ctx) {
    const Ctx = window.AudioContext || window.webkitAudioContext;
    if (!Ctx) return null;
    ctx = new Ctx();
  }
  if (ctx.state === 'suspended') ctx.resume().catch(() => {});
  return ctx;
}

for (const type of ['keydown', 'pointerdown']) addEventListener(type, () => audio(), { capture: true });

// One tone: frequency (Hz, or [from, to] for a sweep), start offset and length (s), wave, volume.
function tone(a, freq, start, length, type = 'sine', volume = 0.25) {
  const osc = a.createOscillator();
  const gain = a.createGain();
  const t0 = a.currentTime + start;
  osc.type = type;
  osc.frequency.value = Array.isArray(freq) ? freq[0] : freq;
  if (Array.isArray(freq)) {
    osc.frequency.setValueAtTime(freq[0], t0);
    osc.frequency.exponentialRampToValueAtTime(freq[1], t0 + length);
  } else {
    osc.frequency.setValueAtTime(freq, t0);
  }
  // Short fades at both ends: no clicks.
  gain.gain.setValueAtTime(0, t0);
  gain.gain.linearRampToValueAtTime(volume, t0 + 0.01);
  gain.gain.setValueAtTime(volume, t0 + length - 0.02);
  gain.gain.linearRampToValueAtTime(0, t0 + length);
  osc.connect(gain).connect(a.destination);
  osc.start(t0);
  osc.stop(t0 + length + 0.01);
}

const sounds = {
  linked: (a) => tone(a, 1320, 0, 0.09),
  already: (a) => {
    tone(a, 660, 0, 0.06, 'sine', 0.15);
    tone(a, 660, 0.12, 0.06, 'sine', 0.15);
  },
  rejected: (a) => {
    tone(a, 180, 0, 0.35, 'square', 0.3);
    tone(a, 150, 0.45, 0.35, 'square', 0.3);
  },
  parent: (a) => {
    tone(a, 880, 0, 0.07);
    tone(a, 1175, 0.09, 0.09);
  },
  queued: (a) => tone(a, [500, 950], 0, 0.15, 'triangle', 0.2),
};

const vibrations = { linked: 40, already: [30, 60, 30], rejected: [250, 120, 250], parent: [40, 40, 40], queued: 20 };

// kind: linked | already | rejected | parent | queued
export function feedback(kind, detail = {}) {
  dispatchEvent(new CustomEvent('tt:feedback', { detail: { kind, ...detail } }));
  if (!isMuted()) {
    const a = audio();
    if (a && sounds[kind]) sounds[kind](a);
  }
  if (navigator.vibrate && vibrations[kind]) navigator.vibrate(vibrations[kind]);
}
