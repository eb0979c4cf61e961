// The "disputed" mark of a bag's or a bill's page (SPEC §8 "Conflicts"): what head office recorded
// when sites' facts clashed, one sentence each as the server words it. Codes are text, never markup.
import { html } from '../ui.js';

export function Disputes({ disputes }) {
  if (!disputes || disputes.length === 0) return null;
  return html`<section class="banner warn disputed" role="note" data-testid="disputed">
    <strong>Disputed</strong>
    <ul>${disputes.map((d) => html`<li key=${d.uid}>${d.summary}</li>`)}</ul>
  </section>`;
}
