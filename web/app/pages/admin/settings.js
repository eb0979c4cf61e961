// /admin/settings: every setting with what it governs, its unit and its default. Each value is
// checked by the server as it is typed (PATCH ?dry_run=1: the same checks, nothing stored), so a
// mistake shows before saving; saving stores every change or none.
import { html, useEffect, useRef, useState } from '../../ui.js';
import * as settingsApi from '../../api/settings.js';
import { title, LoadError } from '../../frame.js';

const show = (v) => (typeof v === 'object' ? JSON.stringify(v) : String(v));

// What a setting's default reads as, by its kind.
function defaultText(s) {
  if (s.key === 'parent_kinds') return s.default.map((k) => `${k.prefix} + ${k.digits} digits, ${k.weight_kg} kg`).join('; ');
  if (typeof s.default === 'boolean') return s.default ? 'yes' : 'no';
  return `${show(s.default)} ${s.unit}`;
}

export function SettingsPage() {
  const [catalog, setCatalog] = useState(null);
  const [values, setValues] = useState({});    // key -> value being edited
  const [errors, setErrors] = useState({});    // key -> the server's refusal (ApiError), or ''
  const [error, setError] = useState(null);
  const [saveError, setSaveError] = useState(null);  // shown by the save button, where it was pressed
  const [saved, setSaved] = useState('');
  const timers = useRef({});
  const load = async () => {
    try {
      const c = (await settingsApi.catalog()).settings;
      setCatalog(c);
      setValues(Object.fromEntries(c.map((s) => [s.key, s.value])));
      setErrors({});
      setError(null);
      setSaveError(null);
    } catch (e) {
      setError(e);
    }
  };
  useEffect(() => {
    title('Settings');
    load();
  }, []);
  if (!catalog) return error ? html`<${LoadError} error=${error} retry=${load} />` : html`<p class="loading">Loading…</p>`;

  const check = (key, value) => {
    clearTimeout(timers.current[key]);
    timers.current[key] = setTimeout(async () => {
      try {
        await settingsApi.check({ [key]: value });
        setErrors((e) => ({ ...e, [key]: '' }));
      } catch (err) {
        setErrors((e) => ({ ...e, [key]: err }));
      }
    }, 250);
  };
  const edit = (key, value) => {
    setSaved('');
    setSaveError(null);
    setValues((v) => ({ ...v, [key]: value }));
    check(key, value);
  };
  const changed = catalog.filter((s) => show(values[s.key]) !== show(s.value));
  const blocked = changed.some((s) => errors[s.key]);
  const save = async (e) => {
    e.preventDefault();
    try {
      await settingsApi.update(Object.fromEntries(changed.map((s) => [s.key, values[s.key]])));
      setSaved(`Saved: ${changed.map((s) => s.key).join(', ')}.`);
      setSaveError(null);
      await load();
    } catch (err) {
      setSaveError(err);
    }
  };
  return html`<form class="admin-page settings" onSubmit=${save} data-testid="settings">
    <h1>Settings</h1>
    ${error && html`<${LoadError} error=${error} />`}
    ${catalog.map(
      (s) => html`<fieldset key=${s.key} class="setting" data-key=${s.key}>
        <legend><code>${s.key}</code></legend>
        <p>${s.description}</p>
        ${s.key === 'parent_kinds'
          ? html`<${KindsEditor} kinds=${values[s.key]} onChange=${(v) => edit(s.key, v)} />`
          : typeof s.default === 'boolean'
          ? html`<label class="check">
              <input type="checkbox" name=${s.key} checked=${values[s.key] === true}
                     onChange=${(e) => edit(s.key, e.target.checked)} />
              Yes</label>`
          : typeof s.default === 'string'
          ? html`<label class="text">${s.unit}
              <input name=${s.key} value=${values[s.key]} autocomplete="off" spellcheck="false"
                     onInput=${(e) => edit(s.key, e.target.value.trim())} />
            </label>`
          : html`<label class="number">${s.unit}
              <input type="number" step="any" name=${s.key} value=${values[s.key]}
                     onInput=${(e) => edit(s.key, e.target.value === '' ? '' : Number(e.target.value))} />
            </label>`}
        <p class="hint">Default: ${defaultText(s)}</p>
        ${errors[s.key] && html`<p class="error" role="alert" data-testid=${'error-' + s.key}>${errors[s.key].message}
          ${errors[s.key].code === 'second_factor_not_enabled' && html` <a href="/account">Go to your account page</a>`}</p>`}
      </fieldset>`,
    )}
    ${saved && html`<p class="banner ok" role="status" data-testid="settings-saved">${saved}</p>`}
    ${saveError &&
    html`<p class="banner bad" role="alert" data-testid="settings-refused">
      <span>${saveError.message}</span>
      ${saveError.code === 'second_factor_not_enabled' && html`<a href="/account">Go to your account page</a>`}
    </p>`}
    <div class="actions">
      <button type="submit" class="primary" disabled=${!changed.length || blocked} data-testid="save-settings">
        ${changed.length ? `Save ${changed.length} change${changed.length > 1 ? 's' : ''}` : 'Nothing to save'}</button>
      <button type="button" disabled=${!changed.length} onClick=${load}>Undo the changes</button>
    </div>
  </form>`;
}

function KindsEditor({ kinds, onChange }) {
  const set = (i, field, value) => onChange(kinds.map((k, j) => (j === i ? { ...k, [field]: value } : k)));
  return html`<table class="kinds cards">
    <thead><tr><th>Name</th><th>Code prefix</th><th>Digits</th><th>Weight (kg)</th><th></th></tr></thead>
    <tbody>
      ${kinds.map(
        (k, i) => html`<tr key=${i}>
          <td data-label="Name"><input value=${k.name} onInput=${(e) => set(i, 'name', e.target.value)} /></td>
          <td data-label="Code prefix"><input value=${k.prefix} onInput=${(e) => set(i, 'prefix', e.target.value)} /></td>
          <td data-label="Digits"><input type="number" value=${k.digits} onInput=${(e) => set(i, 'digits', Number(e.target.value))} /></td>
          <td data-label="Weight (kg)"><input type="number" step="any" value=${k.weight_kg} onInput=${(e) => set(i, 'weight_kg', Number(e.target.value))} /></td>
          <td><button type="button" onClick=${() => onChange(kinds.filter((_, j) => j !== i))}>Remove</button></td>
        </tr>`,
      )}
    </tbody>
    <tfoot><tr><td colspan="5"><button type="button" onClick=${() => onChange([...kinds, { name: '', prefix: '', digits: 5, weight_kg: 0 }])}>
      Add a kind</button></td></tr></tfoot>
  </table>`;
}
