// A bar chart as inline SVG with its numbers as text: readable without colour, printable, and
// something a test (or a screen reader) can read. No chart library: the dashboard needs bars.
import { html } from './ui.js';

// groups: [{label, key?, bars: [{series, value, title}]}] (key: when labels repeat);
// series: [{name, className}]; groupWidth: the room of one group, in the drawing's units.
export function BarChart({ groups, series, height = 220, label, testid, groupWidth = 36 }) {
  const max = Math.max(1, ...groups.flatMap((g) => g.bars.map((b) => b.value)));
  const barWidth = (groupWidth - 8) / series.length;
  const top = 18;
  const bottom = 26;
  const plot = height - top - bottom;
  const width = groups.length * groupWidth + 8;
  return html`<figure class="chart" data-testid=${testid}>
    <svg viewBox=${`0 0 ${width} ${height}`} role="img" aria-label=${label} preserveAspectRatio="xMinYMin meet">
      <line x1="4" x2=${width - 4} y1=${top + plot} y2=${top + plot} class="axis" />
      ${groups.map((g, gi) => {
        const x0 = 8 + gi * groupWidth;
        return html`<g key=${g.key || g.label} class="group">
          ${g.bars.map((b, bi) => {
            const h = Math.round((b.value / max) * plot);
            const x = x0 + bi * barWidth;
            const y = top + plot - h;
            return html`<g key=${bi} class=${'bar ' + series[bi].className} data-series=${series[bi].name}
                           data-group=${g.label} data-value=${b.value}>
              <title>${b.title || `${series[bi].name} ${g.label}: ${b.value}`}</title>
              <rect x=${x} y=${y} width=${barWidth - 1} height=${Math.max(h, b.value ? 1 : 0)} />
              ${b.value > 0 && html`<text x=${x + (barWidth - 1) / 2} y=${y - 3} class="value">${b.value}</text>`}
            </g>`;
          })}
          <text x=${x0 + (groupWidth - 8) / 2} y=${height - 8} class="label">${g.label}</text>
        </g>`;
      })}
    </svg>
    <figcaption>
      ${label}:
      ${series.map((s) => html`<span key=${s.name} class=${'key ' + s.className}>${s.name}</span>`)}
    </figcaption>
  </figure>`;
}
