// Live changes from the server-sent events of api/events.js, one stream for the whole browser.
//
// Browsers open at most six HTTP/1.1 connections to one server, and an event stream holds one for
// as long as it is open: six dashboards in six tabs would leave no connection for anything else.
// So the tabs that listen elect one of them (a lease in localStorage, renewed every 2 s), that tab
// alone holds the stream, and it passes every event on to the others over a BroadcastChannel. A
// hidden tab gives up the lease and its stream; when it is shown again it takes part again. An
// event only says that something changed: pages read the figures from the server again (onOpen
// tells them after every (re)connection, when events may have been missed).
import { uuid } from './scan/uuid.js';
import * as eventsApi from './api/events.js';

const CHANNEL = 'tt-live';
const LEASE_KEY = 'tt.live.leader';
const LEASE_MS = 5000;
const RENEW_MS = 2000;
const EVENT_TYPES = ['scan', 'link', 'bill', 'bag_delete', 'import', 'return', 'area_transfer'];

const me = uuid();
const listeners = new Set();
let channel = null;
let source = null;
let timer = null;
let state = 'connecting';

// listener: { onEvent(type, data), onOpen(), onState(state) } with state 'live' | 'connecting'.
export function subscribeLive(listener) {
  listeners.add(listener);
  if (listeners.size === 1) start();
  else listener.onState && listener.onState(state);
  return () => {
    listeners.delete(listener);
    if (!listeners.size) stop();
  };
}

function deliver(message) {
  if (message.kind === 'open') state = 'live';
  if (message.kind === 'down') state = 'connecting';
  if (message.kind === 'state') state = message.state;
  for (const l of [...listeners]) {
    if (message.kind === 'state') l.onState && l.onState(message.state);
    if (message.kind === 'event') l.onEvent && l.onEvent(message.type, message.data);
    else if (message.kind === 'open') {
      l.onState && l.onState('live');
      l.onOpen && l.onOpen();
    } else if (message.kind === 'down') l.onState && l.onState('connecting');
  }
}

function announce(message) {
  deliver(message);
  try {
    channel && channel.postMessage(message);
  } catch {
    // a closed channel: this tab is leaving
  }
}

function readLease() {
  try {
    return JSON.parse(localStorage.getItem(LEASE_KEY) || 'null');
  } catch {
    return null;
  }
}

function tick() {
  if (document.visibilityState === 'hidden') {
    release();
    return;
  }
  const lease = readLease();
  const now = Date.now();
  if (!lease || lease.until < now || lease.id === me) {
    localStorage.setItem(LEASE_KEY, JSON.stringify({ id: me, until: now + LEASE_MS }));
    if (!source) open();
    // Tabs that joined later learn whether the stream is up.
    else if (channel) channel.postMessage({ kind: 'state', state: source.readyState === EventSource.OPEN ? 'live' : 'connecting' });
  } else if (source) {
    close();  // another tab took the lead at the same moment: one stream is enough
  }
}

function open() {
  source = new EventSource(eventsApi.streamUrl());
  source.onopen = () => announce({ kind: 'open' });
  source.onerror = () => announce({ kind: 'down' });
  for (const type of EVENT_TYPES) {
    source.addEventListener(type, (e) => {
      let data = null;
      try {
        data = JSON.parse(e.data);
      } catch {
        data = null;
      }
      announce({ kind: 'event', type, data });
    });
  }
}

function close() {
  if (source) source.close();
  source = null;
}

function release() {
  if (!source) return;
  close();
  const lease = readLease();
  if (lease && lease.id === me) localStorage.removeItem(LEASE_KEY);
}

function onVisibility() {
  if (document.visibilityState === 'visible') {
    tick();
    deliver({ kind: 'open' });  // what happened while hidden is read again
  } else {
    release();
  }
}

function start() {
  channel = new BroadcastChannel(CHANNEL);
  channel.onmessage = (m) => deliver(m.data);
  document.addEventListener('visibilitychange', onVisibility);
  addEventListener('pagehide', release);
  tick();
  timer = setInterval(tick, RENEW_MS);
}

function stop() {
  clearInterval(timer);
  release();
  document.removeEventListener('visibilitychange', onVisibility);
  removeEventListener('pagehide', release);
  channel.close();
  channel = null;
}
