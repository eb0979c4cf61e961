// The address bar as state: every page has its own address (SPEC §7), so a reload or a bookmark
// opens the same page. Links inside the application change the address without a reload.
import { createStore } from './store.js';

const here = () => ({ path: location.pathname, search: location.search });
export const route = createStore(here());

export function navigate(to, { replace = false } = {}) {
  if (to === location.pathname + location.search) return;
  if (replace) history.replaceState(null, '', to);
  else history.pushState(null, '', to);
  route.set(here());
}

addEventListener('popstate', () => route.set(here()));

// Plain clicks on same-origin links navigate inside the application; a click with a modifier
// (new tab), on a download or on a link with a target is left to the browser.
document.addEventListener('click', (e) => {
  if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
  const a = e.target.closest && e.target.closest('a[href]');
  if (!a || a.target || a.hasAttribute('download')) return;
  const url = new URL(a.href, location.href);
  if (url.origin !== location.origin || url.pathname.startsWith('/api/')) return;
  e.preventDefault();
  navigate(url.pathname + url.search);
});

// Matches a path against a pattern such as /bags/:code; returns the decoded parameters or null.
export function match(pattern, path) {
  const want = pattern.split('/');
  const got = path.split('/');
  if (want.length !== got.length) return null;
  const params = {};
  for (let i = 0; i < want.length; i++) {
    if (want[i].startsWith(':')) {
      if (!got[i]) return null;
      try {
        params[want[i].slice(1)] = decodeURIComponent(got[i]);
      } catch {
        return null;
      }
    } else if (want[i] !== got[i]) {
      return null;
    }
  }
  return params;
}

export function queryParams(search) {
  return Object.fromEntries(new URLSearchParams(search));
}
