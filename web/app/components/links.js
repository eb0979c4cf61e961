// The addresses of the pages of one thing (SPEC §7), for links and navigation: a code may hold any
// printable character, '/' and '?' included, so it is always encoded as one path segment.
export const bagHref = (code) => '/bags/' + encodeURIComponent(code);
export const billHref = (code) => '/bills/' + encodeURIComponent(code);
export const returnHref = (code) => '/returns/' + encodeURIComponent(code);
