// Days and times in the reports as the depot's clock reads them (SPEC §3.5: the depot's time zone,
// setting time_zone, which every report gives with its figures).

// An instant as the depot's clock reads it (the report's time zone), e.g. "29 Nov 2026, 10:15".
export function depotTime(iso, timeZone) {
  if (!iso) return '';
  const d = new Date(iso);
  if (isNaN(d)) return iso;
  try {
    return d.toLocaleString(undefined, { timeZone, dateStyle: 'medium', timeStyle: 'short' });
  } catch {
    return d.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
  }
}

// A calendar day (YYYY-MM-DD) in words, e.g. "Sun, 29 Nov 2026"; the day is the depot's already.
export function dayName(date) {
  const [y, m, d] = date.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d)).toLocaleDateString(undefined, {
    timeZone: 'UTC', weekday: 'short', day: 'numeric', month: 'short', year: 'numeric',
  });
}
