// /admin/sync/conflicts (SPEC §8 "Conflicts are facts"; administrators). At head office: every
// site's conflicts, filtered by status, site, kind and age, each told in words with both sides,
// and the resolutions its kind allows (the server lists them beside each conflict: the page keeps
// no rule of its own). At a depot: its own conflicts as head office sent them, and how head office
// resolved them. The filters are in the address, so a view can be bookmarked.
import { html, useEffect, useState, useLoad } from '../../ui.js';
import { query } from '../../api.js';
import * as syncApi from '../../api/sync.js';
import * as sitesApi from '../../api/sites.js';
import { navigate, queryParams } from '../../router.js';
import { title, LoadError } from '../../frame.js';
import { when, word } from '../../format.js';
import { ConfirmButton } from '../../confirm.js';

const FIELDS = ['status', 'site', 'kind', 'older_than_days'];
const KINDS = [
  'child_in_two_parents', 'parent_over_capacity', 'bill_over_capacity', 'contested_bill_place', 'bill_code_taken',
  'bill_edited_twice', 'deleted_while_used', 'bag_type', 'unknown_bag', 'unknown_bill',
];

// The two sides of a conflict, as a person compares them: what head office holds, what the site did.
function Sides({ c }) {
  const d = c.detail || {};
  const site = `${c.site || 'The site'}${d.user ? ` (${d.user})` : ''}`;
  if (c.kind === 'child_in_two_parents') {
    return html`<dl class="facts sides">
      <dt>Head office</dt><dd>had ${c.key} in <span class="code">${(d.kept && d.kept.parent) || 'no parent'}</span></dd>
      <dt>${site}</dt><dd>linked ${c.key} into <span class="code">${(d.contested && d.contested.parent) || '?'}</span></dd>
    </dl>`;
  }
  return html`<dl class="facts sides">
    <dt>What happened</dt><dd>${c.summary}</dd>
    <dt>Where</dt><dd>${site}${d.at ? ', ' + when(d.at) : ''}</dd>
  </dl>`;
}

// A button per resolution the server allows, each saying what it will do.
function Resolutions({ c, done }) {
  const d = c.detail || {};
  const says = {
    keep_head_office: {
      label: `Keep it in ${(d.kept && d.kept.parent) || "head office's parent"}`,
      consequence: `Head office keeps ${c.key} where it is; ${c.site || 'the site'} moves it back there at its next pull.`,
    },
    keep_site: {
      label: `Move it to ${(d.contested && d.contested.parent) || "the site's parent"}`,
      consequence: `${c.key} moves into ${(d.contested && d.contested.parent) || "the site's parent"} here, and at every depot that holds it.`,
    },
    accept: { label: 'Accept', consequence: 'What head office holds stays as it is; the conflict is closed.' },
  };
  return html`<div class="actions">
    ${c.resolutions.map((r) => {
      const s = says[r] || { label: word(r), consequence: '' };
      return html`<${ConfirmButton} key=${r} label=${s.label} testid=${`resolve-${r}-${c.key}`}
        question=${`${s.label}?`} consequence=${s.consequence} confirmLabel=${s.label}
        className=${r === 'accept' ? '' : 'primary'}
        onConfirm=${async () => {
          await syncApi.resolve(c.uid, r);
          await done();
        }} />`;
    })}
  </div>`;
}

export function ConflictsPage({ search }) {
  const params = queryParams(search);
  const filters = { status: 'open', ...Object.fromEntries(FIELDS.map((f) => [f, params[f]]).filter(([, v]) => v !== undefined)) };
  if (filters.status === 'all') delete filters.status;
  const { data, error, reload: load } = useLoad(async () => {
    const [c, s, st] = await Promise.all([
      syncApi.conflicts(filters),
      sitesApi.list().catch(() => ({ sites: [] })),
      syncApi.status().catch(() => ({ state: 'off' })),
    ]);
    return { conflicts: c.conflicts, sites: s.sites, depot: st.state !== 'off' };
  }, [search]);
  useEffect(() => title('Conflicts'), []);
  const go = (changes) => navigate('/admin/sync/conflicts' + query({ ...Object.fromEntries(FIELDS.map((f) => [f, params[f]])), ...changes }));
  const select = (name, options, fallback = '') => html`<select name=${name} data-testid=${'conflicts-' + name}
      value=${params[name] || fallback} onChange=${(e) => go({ [name]: e.target.value || undefined })}>
    ${options.map(([value, text]) => html`<option key=${value} value=${value}>${text}</option>`)}
  </select>`;
  const sites = (data && data.sites) || [];
  const depot = data && data.depot;
  return html`<section class="admin-page">
    <h1>Conflicts</h1>
    <p class="hint">${depot
      ? 'What this depot did that clashed with what head office already held. Head office decides; what it decides is applied here at the next pull.'
      : 'What a depot did that clashed with what head office already held. Nothing was refused: each is a fact for a person to settle.'}</p>
    <form class="search-form" onSubmit=${(e) => e.preventDefault()}>
      <label>Status ${select('status', [['open', 'Open'], ['resolved', 'Resolved'], ['all', 'All']], 'open')}</label>
      ${!depot && html`<label>Site ${select('site', [['', 'Every site'], ...sites.map((s) => [s.id, s.name])])}</label>`}
      <label>Kind ${select('kind', [['', 'Any'], ...KINDS.map((k) => [k, word(k)])])}</label>
      <label>Older than ${select('older_than_days', [['', 'any age'], ['1', '1 day'], ['7', '7 days'], ['30', '30 days']])}</label>
    </form>
    ${error && html`<${LoadError} error=${error} retry=${load} />`}
    ${data && data.conflicts.length === 0 && html`<p class="hint" data-testid="no-conflicts">No conflict matches.</p>`}
    ${data && html`<ul class="conflict-list" data-testid="conflicts">
      ${data.conflicts.map((c) => html`<li key=${c.uid} class="panel" data-kind=${c.kind} data-key=${c.key} data-status=${c.status}>
        <h2><span class="code">${c.key}</span> · ${word(c.kind)} <small>${c.site || ''} · ${when(c.created_at)}</small></h2>
        <p data-testid="conflict-summary">${c.summary}</p>
        <${Sides} c=${c} />
        ${c.status === 'open'
          ? c.resolutions.length > 0
            ? html`<${Resolutions} c=${c} done=${load} />`
            : html`<p class="hint">Waiting for head office to resolve it.</p>`
          : html`<p class="tag ok" data-testid="conflict-resolution">Resolved: ${c.resolution_words || c.resolution}${c.resolved_by ? ` by ${c.resolved_by}` : ''}${c.resolved_at ? `, ${when(c.resolved_at)}` : ''}</p>`}
      </li>`)}
    </ul>`}
  </section>`;
}
