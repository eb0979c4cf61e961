// The scanning of the signed-in user on this device (SPEC §3.1-§3.3, §7): what a scanned code
// means, the current parent and its counter, and the queue that carries every scan to the server.
// One per user, alive across pages, so scans keep going out while the user looks something up.
import { createStore } from '../store.js';
import * as bagsApi from '../api/bags.js';
import * as billsApi from '../api/bills.js';
import * as returnsApi from '../api/returns.js';
import * as scansApi from '../api/scans.js';
import { isParentCode, loadSession } from '../session.js';
import { ScanQueue } from './queue.js';
import { feedback } from './feedback.js';

let current = null;

// The scanner of this user (created on first use; another user gets their own queue).
export function scannerFor(user, scanSettings) {
  if (!current || current.username !== user.username) {
    if (current) current.stop();
    current = new Scanner(user.username, scanSettings);
  }
  current.settings = scanSettings;
  return current;
}

const errorOf = (answer) => (answer.body && answer.body.error) || { code: 'http_' + answer.status, message: `The server answered ${answer.status}.` };

class Scanner {
  constructor(username, settings) {
    this.username = username;
    this.settings = settings;
    const parentKey = `tt.scan.parent:${username}`;
    this.parentKey = parentKey;
    // The current parent: code, children count and capacity as the server last said, its
    // children newest first, and whether the server accepted it (state 'ok', 'waiting', 'rejected').
    let saved = null;
    try {
      saved = JSON.parse(localStorage.getItem(parentKey) || 'null');
    } catch {
      saved = null;
    }
    this.parent = createStore(saved);
    this.parent.subscribe((p) => localStorage.setItem(parentKey, JSON.stringify(p)));
    // The id of the last answer that changed the counter, for the page to mark when it shows it.
    this.answered = createStore(null);
    this.queue = new ScanQueue({
      storageKey: `tt.scan.queue:${username}`,
      request: (row) => this.request(row),
      outcome: (row, answer) => this.outcome(row, answer),
      refreshSession: async () => Boolean(await loadSession().catch(() => null)),
      onAnswer: (row, answer, outcome) => this.answer(row, answer, outcome),
    });
    this.wasOffline = false;
    this.queue.subscribe((s) => {
      // One chirp when scans start to wait for an unreachable server.
      const offline = s.connection !== 'online' && s.rows.some((r) => r.state !== 'done');
      if (offline && !this.wasOffline) feedback('queued');
      this.wasOffline = offline;
    });
    // Scans left waiting by an earlier page (a reload, a crash) go out now, by themselves.
    this.queue.pump();
  }

  stop() {
    this.queue.stop();
  }

  capacity() {
    return (this.parent.get() && this.parent.get().capacity) || this.settings.parent_capacity;
  }

  // A code as the scanner typed it: a parent code makes that parent current, anything else is a
  // child of the current parent. Returns the row, or null for nothing (an empty code).
  scan(raw) {
    const code = raw.trim();
    if (!code) return null;
    if (isParentCode(this.settings, code)) {
      const upper = code.toUpperCase();
      const p = this.parent.get();
      if (!p || p.code !== upper) {
        this.parent.set({ code: upper, count: null, capacity: this.settings.parent_capacity, children: [], state: 'waiting' });
      }
      return this.queue.add({ kind: 'parent', code });
    }
    const p = this.parent.get();
    if (!p) {
      feedback('rejected', { code });
      return this.queue.note({
        kind: 'child',
        code,
        outcome: { tone: 'rejected', error: 'no_parent', text: `Scan a parent bag first: ${code} is not a parent code, and no parent is open.` },
      });
    }
    return this.queue.add({ kind: 'child', code, parent: p.code });
  }

  // A parent scanned onto a bill (the bill page): sent in turn with every other scan.
  scanOntoBill(bill, raw) {
    const code = raw.trim();
    if (!code) return null;
    return this.queue.add({ kind: 'bill_parent', bill, code });
  }

  // A parent bag scanned onto a return ticket (the ticket page), in the same queue.
  scanOntoReturn(ticket, raw) {
    const code = raw.trim();
    if (!code) return null;
    return this.queue.add({ kind: 'return_bag', ticket, code });
  }

  // What to send for a row, built when it is sent: a row kept by an earlier version of the page
  // (kind, code, parent, bill, ticket) goes out the same way. Each queued child keeps the parent
  // that was current when it was scanned.
  request(row) {
    const id = row.id;
    if (row.kind === 'parent') return scansApi.parentRequest(row.code, id);
    if (row.kind === 'bill_parent') return billsApi.addParentRequest(row.bill, row.code, id);
    if (row.kind === 'return_bag') return returnsApi.addBagRequest(row.ticket, row.code, id);
    return scansApi.childRequest(row.parent, row.code, id);
  }

  // The outcome of a final answer, in words (SPEC §7: every scan's outcome in words).
  outcome(row, answer) {
    const ok = answer.status >= 200 && answer.status < 300;
    const b = answer.body || {};
    if (!ok) {
      const e = errorOf(answer);
      return { tone: 'rejected', error: e.code, text: e.message };
    }
    if (row.kind === 'parent') {
      const count = b.child_count;
      return {
        tone: 'parent',
        text: `${b.code} is the current parent: ${count}/${b.capacity}${b.created ? ' (new parent bag)' : ''}.`,
        code: b.code,
      };
    }
    if (row.kind === 'bill_parent') {
      const bill = b.bill || {};
      return b.result === 'added'
        ? { tone: 'linked', text: `${b.parent} added to bill ${bill.code}: ${bill.parent_count}/${bill.capacity} parents.` }
        : { tone: 'already', text: `${b.parent} is already on bill ${bill.code}.` };
    }
    if (row.kind === 'return_bag') {
      return b.result === 'added'
        ? { tone: 'linked', text: `${b.bag} is on return ticket ${row.ticket}.` }
        : { tone: 'already', text: `${b.bag} is already on return ticket ${row.ticket}.` };
    }
    if (b.result === 'already_linked') {
      return { tone: 'already', text: `${b.code} is already in ${b.parent}: ${b.child_count}/${b.capacity}.`, code: b.code };
    }
    return { tone: 'linked', text: `${b.code} linked to ${b.parent}: ${b.child_count}/${b.capacity}.`, code: b.code };
  }

  // A final answer arrived: sound, and the counter of the current parent.
  answer(row, answer, outcome) {
    feedback(outcome.tone, { code: row.code, id: row.id, error: outcome.error });
    const b = answer.body || {};
    const p = this.parent.get();
    if (!p) return;
    const ok = answer.status >= 200 && answer.status < 300;
    if (row.kind === 'parent' && row.code.trim().toUpperCase() === p.code) {
      if (ok) {
        const children = (b.children || []).map((c) => c.code).reverse();
        this.parent.set({ code: b.code, count: b.child_count, capacity: b.capacity, children, state: 'ok' });
      } else {
        this.parent.set({ ...p, state: 'rejected', error: outcome.text });
      }
      this.answered.set(row.id);
    } else if (row.kind === 'child' && ok && b.parent === p.code) {
      const children = b.result === 'linked' ? [b.code, ...p.children.filter((c) => c !== b.code)] : p.children;
      this.parent.set({ ...p, count: b.child_count, capacity: b.capacity, children });
      this.answered.set(row.id);
    }
  }

  // Reads the current parent again (after a reload: the server may have moved on).
  async refresh() {
    const p = this.parent.get();
    if (!p || p.state === 'waiting' || this.queue.waiting().length) return;
    try {
      const bag = await bagsApi.get(p.code);
      const children = (bag.children || []).map((c) => c.code).reverse();
      this.parent.set({ code: bag.code, count: bag.child_count, capacity: bag.capacity, children, state: 'ok' });
    } catch {
      // Unreachable or gone: the next scan tells.
    }
  }

  // Undo last scan (SPEC §3.3): only with nothing waiting, since the server undoes the most recent
  // link it knows of, which must be the last scan the worker made.
  async undo() {
    if (this.queue.waiting().length) {
      return this.queue.note({ kind: 'undo', code: '', outcome: { tone: 'info', text: 'Undo waits until the waiting scans are sent.' } });
    }
    try {
      const c = await scansApi.undo();
      const from = c.previous_parent || c.parent;
      const p = this.parent.get();
      if (p && from === p.code) {
        this.parent.set({ ...p, count: c.child_count, capacity: c.capacity, children: p.children.filter((x) => x !== c.code) });
      }
      feedback('already', { code: c.code });
      return this.queue.note({
        kind: 'undo',
        code: c.code,
        outcome: { tone: 'info', text: `Undone: ${c.code} is out of ${from}: ${c.child_count}/${c.capacity}.` },
      });
    } catch (e) {
      feedback('rejected', {});
      return this.queue.note({ kind: 'undo', code: '', outcome: { tone: 'rejected', text: e.message } });
    }
  }
}
