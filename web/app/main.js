// The TraceTrack web interface (SPEC §7): one page application served by the binary at every page
// address. Reads the session, then shows the page of the address, or the sign-in page.
import { html, render, useStore, useEffect } from './ui.js';
import { route, navigate, match } from './router.js';
import { session, loadSession } from './session.js';
import { Frame, NotAllowed, NotFound, allowed, LoadError } from './frame.js';
import { LoginPage } from './pages/login.js';
import { ScanPage } from './pages/scan.js';
import { SearchPage } from './pages/search.js';
import { BagPage } from './pages/bag.js';
import { DashboardPage } from './pages/dashboard.js';
import { BillsPage } from './pages/bills.js';
import { BillPage } from './pages/bill.js';
import { AccountPage } from './pages/account.js';
import { UsersPage } from './pages/admin/users.js';
import { AreasPage } from './pages/admin/areas.js';
import { SettingsPage } from './pages/admin/settings.js';
import { TokensPage } from './pages/admin/tokens.js';
import { SitesPage } from './pages/admin/sites.js';
import { ConflictsPage } from './pages/admin/conflicts.js';
import { AuditPage } from './pages/admin/audit.js';
import { ImportPage } from './pages/import.js';
import { ReturnsPage } from './pages/returns.js';
import { ReturnPage } from './pages/return.js';
import { ReportsPage } from './pages/reports.js';

// Every page: its address, its component, whether it shows in the navigation, and the permission
// it needs (src/domain/permissions.cpp; every user when absent). `keepsSession`: the page signs in again in place when the session
// expires (the scan screen keeps its waiting scans), instead of going to /login.
const pages = [
  { path: '/scan', title: 'Scan', nav: true, component: ScanPage, keepsSession: true },
  { path: '/bills', title: 'Bills', nav: true, component: BillsPage },
  { path: '/bills/:code', title: 'Bill', component: BillPage, keepsSession: true },
  { path: '/returns', title: 'Returns', nav: true, may: 'returns', component: ReturnsPage },
  { path: '/returns/:code', title: 'Return ticket', may: 'returns', component: ReturnPage, keepsSession: true },
  { path: '/dashboard', title: 'Dashboard', nav: true, component: DashboardPage },
  { path: '/search', title: 'Search', nav: true, component: SearchPage },
  { path: '/reports', title: 'Reports', nav: true, may: 'reports', component: ReportsPage },
  { path: '/bags/:code', title: 'Bag', component: BagPage },
  { path: '/account', title: 'Account', component: AccountPage },
  { path: '/admin/users', title: 'Users', nav: true, admin: true, may: 'administration', component: UsersPage },
  { path: '/admin/areas', title: 'Areas', nav: true, admin: true, may: 'administration', component: AreasPage },
  { path: '/admin/settings', title: 'Settings', nav: true, admin: true, may: 'administration', component: SettingsPage },
  { path: '/admin/tokens', title: 'Tokens', nav: true, admin: true, may: 'administration', component: TokensPage },
  { path: '/admin/sites', title: 'Sites', nav: true, admin: true, may: 'administration', component: SitesPage },
  { path: '/admin/sync/conflicts', title: 'Conflicts', nav: true, admin: true, may: 'administration', component: ConflictsPage },
  { path: '/admin/audit', title: 'Audit log', nav: true, admin: true, may: 'administration', component: AuditPage },
  { path: '/import', title: 'Import', nav: true, admin: true, may: 'import', component: ImportPage },
];
const home = '/scan';
// The sign-in page. It and the table above are the server's page addresses too: the build reads
// them (tools/page-addresses.py), so a page is declared here and nowhere else.
const signIn = '/login';
const setupPage = '/account';  // where two-factor sign-in is set up

function App() {
  const r = useStore(route);
  const s = useStore(session);

  if (r.path === signIn) return html`<${LoginPage} search=${r.search} />`;
  if (s.state === 'loading') return html`<p class="loading">Loading…</p>`;
  if (r.path === '/' && s.state === 'signed_in') {
    navigate(home, { replace: true });
    return null;
  }
  let found = null;
  let params = null;
  for (const p of pages) {
    params = match(p.path, r.path);
    if (params) {
      found = p;
      break;
    }
  }
  if (s.state !== 'signed_in' || (s.expired && !(found && found.keepsSession))) {
    return html`<${ToLogin} />`;
  }
  // Every other page would be refused until the set-up is done: the account page has it.
  if (s.setupRequired && r.path !== setupPage) {
    navigate(setupPage, { replace: true });
    return null;
  }
  const content = !found
    ? html`<${NotFound} />`
    : !allowed(found)
      ? html`<${NotAllowed} user=${s.user} page=${found} />`
      : html`<${found.component} key=${r.path} params=${params} search=${r.search} session=${s} />`;
  return html`<${Frame} user=${s.user} pages=${pages} current=${found} setupRequired=${s.setupRequired}>${content}<//>`;
}

// A signed-out visitor is sent to /login and comes back afterwards (SPEC §7).
function ToLogin() {
  useEffect(() => {
    const back = location.pathname === '/' ? '' : location.pathname + location.search;
    navigate(signIn + (back ? '?next=' + encodeURIComponent(back) : ''), { replace: true });
  }, []);
  return null;
}

function Boot() {
  const s = useStore(session);
  if (s.error) return html`<main id="main"><${LoadError} error=${s.error} retry=${start} /></main>`;
  return html`<${App} />`;
}

async function start() {
  try {
    await loadSession();
  } catch (error) {
    session.set({ state: 'loading', error });
  }
}

render(html`<${Boot} />`, document.getElementById('app'));
start();

// The offline copy (sw.js), where the browser allows one (secure pages only). Once it holds every
// file this page loaded, <html data-offline="ready"> says so.
if ('serviceWorker' in navigator && isSecureContext) {
  navigator.serviceWorker.addEventListener('message', (e) => {
    if (e.data && e.data.kept) document.documentElement.dataset.offline = 'ready';
  });
  navigator.serviceWorker.startMessages();
  navigator.serviceWorker.register('/sw.js').then(
    () =>
      navigator.serviceWorker.ready.then((reg) => {
        const here = location.origin;
        const loaded = performance
          .getEntriesByType('resource')
          .map((e) => e.name)
          .filter((u) => u.startsWith(here) && !u.startsWith(here + '/api/'));
        reg.active.postMessage({ keep: ['/index.html', ...new Set(loaded)] });
      }),
    () => {},
  );
}
