// A random UUID (version 4) for each physical scan: its client_scan_id (SPEC §4). Built from
// crypto.getRandomValues, which browsers offer on plain http:// pages too (crypto.randomUUID is
// only offered on secure pages, and a depot box is usually reached over plain http).
export function uuid() {
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const hex = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
