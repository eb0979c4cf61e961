// Figures and times as people read them on the depot floor.

// "29 Nov 2026, 18:46:28" in the browser's language and time zone.
export function when(iso) {
  if (!iso) return '';
  const d = new Date(iso);
  return isNaN(d) ? iso : d.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'medium' });
}

// "29 Nov 2026": the day alone, where the time would crowd a table.
export function day(iso) {
  if (!iso) return '';
  const d = new Date(iso);
  return isNaN(d) ? iso : d.toLocaleDateString(undefined, { dateStyle: 'medium' });
}

export function kg(n) {
  return n === null || n === undefined ? '' : `${Number(n).toLocaleString(undefined, { maximumFractionDigits: 2 })} kg`;
}

// A scan result or an audit action in words.
const words = {
  created: 'created',
  found: 'found',
  linked: 'linked',
  already_linked: 'already linked',
  rejected: 'refused',
  scan_parent: 'Scanned as parent',
  scan_child: 'Scanned as child',
  bill_add: 'Scanned onto a bill',
  link: 'Linked',
  unlink: 'Unlinked',
  relink: 'Relinked',
  undo: 'Undone',
  bag_create: 'Created',
  bag_delete: 'Deleted',
  area_transfer: 'Moved to another area',
};
export const word = (key) => words[key] || (key ? String(key).replace(/_/g, ' ') : '');

// A before/after value of the audit log, short: {"parent":"SB1"} -> parent SB1.
export function summary(value) {
  if (value === null || value === undefined) return '';
  if (typeof value !== 'object') return String(value);
  return Object.entries(value)
    .map(([k, v]) => `${k.replace(/_/g, ' ')} ${v === null ? '–' : typeof v === 'object' ? JSON.stringify(v) : v}`)
    .join(', ');
}
