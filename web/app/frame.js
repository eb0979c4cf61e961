// The frame of every page once signed in: a header with the navigation the user's role may use,
// who is signed in (name, role, area) and the sign-out button; then the page. An administrator who
// must set up two-factor sign-in first is offered the account page alone (the others would be
// refused) with a banner saying why.
import { html } from './ui.js';
import { navigate } from './router.js';
import { signOut, roleNames, may, rolesFor } from './session.js';

export function Frame({ user, pages, current, setupRequired = false, children }) {
  const nav = setupRequired
    ? pages.filter((p) => p.path === '/account')
    : pages.filter((p) => p.nav && !p.admin && allowed(p));
  const admin = setupRequired ? [] : pages.filter((p) => p.nav && p.admin && allowed(p));
  const out = async () => {
    try {
      await signOut();
    } finally {
      navigate('/login', { replace: true });
    }
  };
  return html`
    <header class="top">
      <a class="brand" href=${setupRequired ? '/account' : '/scan'}>TraceTrack</a>
      <nav aria-label="Pages">
        ${nav.map((p) => html`<${NavLink} key=${p.path} page=${p} current=${current} />`)}
        ${admin.length > 0 &&
        html`<span class="nav-group" data-testid="admin-nav">${admin.map((p) => html`<${NavLink} key=${p.path} page=${p} current=${current} />`)}</span>`}
      </nav>
      <div class="who">
        <a class="user" href="/account" data-testid="user" title="Your account">${user.username}</a>
        <span class="role">${roleNames[user.role] || user.role}${user.area ? ' · ' + user.area : ''}</span>
        <button type="button" class="quiet" onClick=${out}>Sign out</button>
      </div>
    </header>
    <main id="main">
      ${setupRequired &&
      html`<p class="banner warn" role="alert" data-testid="second-factor-required">
        Administrators must sign in with a one-time code: set up two-factor sign-in to continue.</p>`}
      ${children}
    </main>
  `;
}

function NavLink({ page, current }) {
  const here = page === current;
  return html`<a href=${page.path} class=${here ? 'active' : ''} aria-current=${here ? 'page' : undefined}>${page.title}</a>`;
}

// A page names the permission it needs; the server's table says which roles have it.
export function allowed(page) {
  return !page.may || may(page.may);
}

// A page the user's role may not use says so (SPEC §7): never a blank page.
export function NotAllowed({ user, page }) {
  return html`<section class="notice" data-testid="not-allowed">
    <h1>Not allowed</h1>
    <p>${page.title} is for ${rolesFor(page.may).map((r) => roleNames[r]).join(' and ')} accounts; you are signed in as
      ${' ' + user.username} (${roleNames[user.role]}).</p>
    <p><a href="/scan">Go to the scan screen</a></p>
  </section>`;
}

export function NotFound() {
  return html`<section class="notice" data-testid="not-found">
    <h1>No page here</h1>
    <p>There is no page at ${' '}<code>${location.pathname}</code>.</p>
    <p><a href="/scan">Go to the scan screen</a> or <a href="/search">search for a bag</a>.</p>
  </section>`;
}

// A failed load, in the server's words, with a way to try again.
export function LoadError({ error, retry }) {
  return html`<div class="banner bad" role="alert">
    <span>${error.message}</span>
    ${retry && html`<button type="button" onClick=${retry}>Try again</button>`}
  </div>`;
}

// Sets the document title: the page, then the product.
export function title(text) {
  document.title = text ? `${text} · TraceTrack` : 'TraceTrack';
}
