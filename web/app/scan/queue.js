// The queue of scans of one user on this device (SPEC §7): nothing typed at a scanner is lost.
//
// Every scan becomes a row with its own client_scan_id and waits here, kept in localStorage (so a
// reload, a crash or a flat battery keeps it), until the server has answered it. Rows are sent one
// at a time, oldest first, so the server sees scans in the order they were made. What happens to
// an answer:
//   2xx and 4xx (but 401, 403 csrf_failed, 408, 429)   final: the row is done with that outcome;
//   no answer, timeout, 5xx, 408, 429                   the row waits; retried with backoff, and at
//                                                       once when a /healthz probe succeeds;
//   401                                                 paused until the user signs in again;
//   403 csrf_failed                                     the session's token is read again, then retried.
// A resent row carries the same id, so the server answers it with its first answer (SPEC §4) and a
// scan is never recorded twice, whatever was lost on the way.
import { createStore } from '../store.js';
import { send, ApiError } from '../api.js';
import { uuid } from './uuid.js';

const BACKOFF_MS = [1000, 2000, 4000, 8000, 10000];
const KEEP_DONE = 100;        // answered rows kept for the list
const SEND_TIMEOUT_MS = 10000;
const PROBE_TIMEOUT_MS = 3000;

export class ScanQueue {
  // storageKey: where the rows live; request(row) -> {method, path, body} for the row;
  // outcome(row, answer) -> what to show for a final answer ({tone, text, ...});
  // refreshSession() -> resolves true when the session is still valid (after csrf_failed).
  constructor({ storageKey, request, outcome, refreshSession, onAnswer }) {
    this.key = storageKey;
    this.request = request;
    this.outcome = outcome;
    this.refreshSession = refreshSession;
    this.onAnswer = onAnswer || (() => {});
    // connection: 'online' | 'offline' (no answer) | 'busy' (the server answers with errors)
    this.store = createStore({ rows: this.load(), connection: 'online', paused: false, sending: null });
    this.attempt = 0;
    this.timer = null;
    this.busy = false;
    this.stopped = false;
    this.onStorage = (e) => {
      if (e.key === this.key) this.update({ rows: this.load() });
    };
    addEventListener('storage', this.onStorage);
  }

  subscribe(fn) {
    return this.store.subscribe(fn);
  }
  get() {
    return this.store.get();
  }

  load() {
    try {
      const rows = JSON.parse(localStorage.getItem(this.key) || '[]');
      return Array.isArray(rows) ? rows.map((r) => (r.state === 'sending' ? { ...r, state: 'waiting' } : r)) : [];
    } catch {
      return [];
    }
  }

  save(rows) {
    const waiting = rows.filter((r) => r.state !== 'done');
    const done = rows.filter((r) => r.state === 'done').slice(-KEEP_DONE);
    const kept = rows.filter((r) => waiting.includes(r) || done.includes(r));
    try {
      localStorage.setItem(this.key, JSON.stringify(kept));
    } catch {
      // Storage full or refused: the rows still live in this page.
    }
    return kept;
  }

  update(patch) {
    this.store.set((s) => ({ ...s, ...patch }));
  }

  setRows(fn) {
    const rows = this.save(fn(this.get().rows));
    this.update({ rows });
  }

  waiting() {
    return this.get().rows.filter((r) => r.state !== 'done');
  }

  // Adds a scan to send; returns its row (with its new id).
  add(fields) {
    const row = { id: uuid(), at: Date.now(), state: 'waiting', ...fields };
    this.setRows((rows) => [...rows, row]);
    this.pump();
    return row;
  }

  // Adds a row that needs no server (a prompt such as "scan a parent first").
  note(fields) {
    const row = { id: uuid(), at: Date.now(), state: 'done', ...fields };
    this.setRows((rows) => [...rows, row]);
    return row;
  }

  finish(id, outcome) {
    this.setRows((rows) => rows.map((r) => (r.id === id ? { ...r, state: 'done', outcome } : r)));
  }

  // After signing in again: send what waits.
  resume() {
    this.update({ paused: false });
    this.pump();
  }

  stop() {
    this.stopped = true;
    clearTimeout(this.timer);
    removeEventListener('storage', this.onStorage);
  }

  retryLater(ms, connection) {
    this.update({ connection, retryAt: Date.now() + ms });
    clearTimeout(this.timer);
    this.timer = setTimeout(() => (connection === 'offline' ? this.probe() : this.pump()), ms);
    this.attempt = Math.min(this.attempt + 1, BACKOFF_MS.length - 1);
  }

  // While no answer comes: asks /healthz, and sends again as soon as the server answers it.
  async probe() {
    if (this.stopped) return;
    try {
      const answer = await send('GET', '/healthz', undefined, { timeoutMs: PROBE_TIMEOUT_MS });
      if (answer.status === 200) {
        this.update({ connection: 'online' });
        this.pump();
        return;
      }
    } catch {
      // still unreachable
    }
    this.retryLater(BACKOFF_MS[this.attempt], 'offline');
  }

  async pump() {
    if (this.busy || this.stopped || this.get().paused) return;
    const row = this.waiting()[0];
    if (!row) return;
    if (this.get().connection === 'offline' && this.timer) return;  // the probe will call again
    this.busy = true;
    this.update({ sending: row.id });
    let again = false;
    try {
      const { method, path, body } = this.request(row);
      const answer = await send(method, path, body, { timeoutMs: SEND_TIMEOUT_MS });
      const code = answer.body && answer.body.error && answer.body.error.code;
      if (answer.status === 401) {
        this.update({ paused: true, connection: 'online' });
      } else if (answer.status === 403 && code === 'csrf_failed') {
        if (await this.refreshSession()) again = true;
        else this.update({ paused: true });
      } else if (answer.status >= 500 || answer.status === 429 || answer.status === 408) {
        const wait = answer.retryAfter ? answer.retryAfter * 1000 : BACKOFF_MS[this.attempt];
        this.retryLater(wait, 'busy');
      } else {
        this.attempt = 0;
        clearTimeout(this.timer);
        this.timer = null;
        const outcome = this.outcome(row, answer);
        this.finish(row.id, outcome);
        this.update({ connection: 'online' });
        this.onAnswer(row, answer, outcome);
        again = true;
      }
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
      this.retryLater(BACKOFF_MS[this.attempt], 'offline');
    } finally {
      this.busy = false;
      this.update({ sending: null });
    }
    if (again) this.pump();
  }
}
