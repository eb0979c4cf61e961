// /search: bags by code prefix, type, area and date range, a page at a time (SPEC §3.5). The search
// is in the address (?q=SB1&type=parent...), so a search can be bookmarked, reloaded and shared.
import { html, useEffect, useState, Pager } from '../ui.js';
import { query } from '../api.js';
import * as areasApi from '../api/areas.js';
import * as sitesApi from '../api/sites.js';
import * as bagsApi from '../api/bags.js';
import * as exportsApi from '../api/exports.js';
import { navigate, queryParams } from '../router.js';
import { title, LoadError } from '../frame.js';
import { may } from '../session.js';
import { when } from '../format.js';
import { bagHref } from '../components/links.js';

const PER_PAGE = 50;
const FIELDS = ['q', 'type', 'area', 'site', 'from', 'to', 'per_page'];

export function SearchPage({ search, session }) {
  const params = queryParams(search);
  const page = Math.max(1, Number(params.page) || 1);
  const perPage = Math.min(200, Math.max(1, Number(params.per_page) || PER_PAGE));
  const searched = FIELDS.some((f) => params[f]) || params.page;
  const [result, setResult] = useState(null);
  const [error, setError] = useState(null);
  const [areas, setAreas] = useState([]);
  // Head office's sites (SPEC §8), for the site filter; none elsewhere.
  const [sites, setSites] = useState([]);
  const seesAllAreas = may('areas.all', session);

  useEffect(() => {
    title('Search');
    if (seesAllAreas) areasApi.list().then((r) => setAreas(r.areas), () => {});
    if (may('administration', session)) sitesApi.list().then((r) => setSites(r.sites), () => {});
  }, []);

  const load = async () => {
    setError(null);
    if (!searched) return setResult(null);
    try {
      const wanted = Object.fromEntries(FIELDS.map((f) => [f, params[f]]));
      setResult({ ...(await bagsApi.search({ ...wanted, page, per_page: perPage })), page });
    } catch (e) {
      setError(e);
      setResult(null);
    }
  };
  useEffect(() => {
    load();
  }, [search]);

  const go = (changes) => navigate('/search' + query({ ...Object.fromEntries(FIELDS.map((f) => [f, params[f]])), ...changes }));

  return html`<section class="search-page">
    <h1>Search bags</h1>
    <${SearchForm} params=${params} areas=${areas} sites=${sites} seesAllAreas=${seesAllAreas}
                   onSearch=${(values) => go({ ...values, page: undefined })} />
    <p class="exports"><a href=${exportsApi.bagsCsvUrl({ type: params.type, area: params.area, site: params.site, from: params.from, to: params.to })}
       download data-testid="export-bags" title="Every bag of the type, area and dates chosen, without the code filter">
       Download as CSV</a></p>
    ${error && html`<${LoadError} error=${error} retry=${load} />`}
    ${result &&
    html`<p class="hint" data-testid="search-summary">
        ${result.bags.length === 0
          ? 'No bag matches.'
          : `Bags ${(page - 1) * perPage + 1}–${(page - 1) * perPage + result.bags.length}${result.has_more ? ', more on the next page' : ''}.`}
      </p>
      <div class="table-wrap">
        <table class="results cards" data-testid="search-results" data-page=${result.page}>
          <thead><tr><th>Code</th><th>Type</th><th>Area</th><th>Parent</th><th>Children</th><th>Created</th></tr></thead>
          <tbody>
            ${result.bags.map(
              (b) => html`<tr key=${b.code}>
                <td data-label="Code"><a href=${bagHref(b.code)} class="code">${b.code}</a></td>
                <td data-label="Type">${b.type}${b.kind ? ' ' + b.kind : ''}</td>
                <td data-label="Area">${b.area || '–'}</td>
                <td data-label="Parent">${b.parent ? html`<a href=${bagHref(b.parent)}>${b.parent}</a>` : '–'}</td>
                <td data-label="Children">${b.child_count === null ? '–' : b.child_count}</td>
                <td data-label="Created">${when(b.created_at)}</td>
              </tr>`,
            )}
          </tbody>
        </table>
      </div>
      <${Pager} page=${page} hasMore=${result.has_more} go=${go} label="Pages of results" />`}
  </section>`;
}

function SearchForm({ params, areas, sites, seesAllAreas, onSearch }) {
  const [values, setValues] = useState(() => Object.fromEntries(FIELDS.map((f) => [f, params[f] || ''])));
  // Going back to an earlier search shows its values.
  useEffect(() => setValues(Object.fromEntries(FIELDS.map((f) => [f, params[f] || '']))), [JSON.stringify(params)]);
  const bind = (name) => ({ name, value: values[name], onInput: (e) => setValues((v) => ({ ...v, [name]: e.target.value })) });
  const submit = (e) => {
    e.preventDefault();
    onSearch(Object.fromEntries(FIELDS.map((f) => [f, (values[f] || '').trim()])));
  };
  return html`<form class="search-form" onSubmit=${submit}>
    <label>Code or its beginning
      <input ...${bind('q')} autocomplete="off" autocapitalize="characters" spellcheck="false" placeholder="e.g. SB123" />
    </label>
    <label>Type
      <select ...${bind('type')} onChange=${bind('type').onInput}>
        <option value="">Any</option>
        <option value="parent">Parent bags</option>
        <option value="child">Child bags</option>
      </select>
    </label>
    ${seesAllAreas &&
    html`<label>Area
      <select ...${bind('area')} onChange=${bind('area').onInput}>
        <option value="">Every area</option>
        ${areas.map((a) => html`<option key=${a.id} value=${a.name}>${a.name}</option>`)}
      </select>
    </label>`}
    ${sites.length > 0 &&
    html`<label>Site
      <select ...${bind('site')} onChange=${bind('site').onInput} data-testid="search-site">
        <option value="">Every site</option>
        ${sites.map((s) => html`<option key=${s.id} value=${s.id}>${s.name}</option>`)}
      </select>
    </label>`}
    <label>Created from <input type="date" ...${bind('from')} /></label>
    <label>to <input type="date" ...${bind('to')} /></label>
    <button type="submit" class="primary">Search</button>
  </form>`;
}
