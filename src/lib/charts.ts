// SPDX-License-Identifier: EUPL-1.2
/**
 * Small server-rendered SVG bar charts for the reach dashboard: no script, no library in the
 * browser, readable when printed. Each chart is decorative next to its data table (the table is
 * what assistive technology reads), so the SVG carries a short summary as its label.
 */
export interface Bar {
  label: string;
  value: number;
}

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * Horizontal bars, longest = full width. `target` draws a dashed line at that share of
 * `targetOf` (e.g. 40% of invitations sent), labelled.
 */
export function barChart(bars: readonly Bar[], options: { title: string; target?: { value: number; label: string } }): string {
  const width = 640;
  const labelWidth = 220;
  const row = 34;
  const height = bars.length * row + 30;
  const max = Math.max(1, ...bars.map((b) => b.value), options.target?.value ?? 0);
  const scale = (v: number) => ((width - labelWidth - 60) * v) / max;
  const rows = bars
    .map((b, i) => {
      const y = i * row + 8;
      const w = Math.max(b.value > 0 ? 2 : 0, scale(b.value));
      return `<text x="${labelWidth - 8}" y="${y + 17}" text-anchor="end">${esc(b.label)}</text><rect x="${labelWidth}" y="${y}" width="${w.toFixed(1)}" height="24" rx="3" fill="var(--hg-color-primary, #00529b)"/><text x="${(labelWidth + w + 6).toFixed(1)}" y="${y + 17}">${b.value}</text>`;
    })
    .join('');
  const target = options.target
    ? `<line x1="${(labelWidth + scale(options.target.value)).toFixed(1)}" x2="${(labelWidth + scale(options.target.value)).toFixed(1)}" y1="0" y2="${height - 22}" stroke="#b00020" stroke-width="2" stroke-dasharray="6 4"/><text x="${(labelWidth + scale(options.target.value)).toFixed(1)}" y="${height - 6}" text-anchor="middle" fill="#b00020">${esc(options.target.label)}</text>`
    : '';
  const summary = bars.map((b) => `${b.label}: ${b.value}`).join(', ');
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="100%" role="img" aria-label="${esc(`${options.title}. ${summary}`)}" font-family="system-ui, sans-serif" font-size="14" fill="#1a1a1a">${rows}${target}</svg>`;
}

/** Reach as a share with the target, e.g. "23% (target 40%)". */
export function percent(share: number | null): string {
  return share === null ? '–' : `${Math.round(share * 100)}%`;
}
