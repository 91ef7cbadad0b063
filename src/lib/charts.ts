// SPDX-License-Identifier: EUPL-1.2
/**
 * Small server-rendered SVG bar charts for the reach dashboard (drawn by
 * src/components/BarChart.astro): no script, no library in the browser, readable when printed.
 * Each chart is decorative next to its data table (the table is what assistive technology
 * reads), so the SVG carries a short summary as its label. Here: the geometry only.
 */
export interface Bar {
  label: string;
  value: number;
}

export interface ChartLayout {
  width: number;
  height: number;
  labelWidth: number;
  rows: { label: string; value: number; y: number; width: number }[];
  /** the dashed target line, e.g. 40% of invitations sent */
  target: { x: number; label: string } | null;
  /** "title. label: value, …" for the SVG's aria-label */
  summary: string;
}

/** Horizontal bars, longest = full width; `target` is drawn as a labelled dashed line at its value. */
export function barChart(bars: readonly Bar[], options: { title: string; target?: { value: number; label: string } }): ChartLayout {
  const width = 640;
  const labelWidth = 220;
  const row = 34;
  const height = bars.length * row + 30;
  const max = Math.max(1, ...bars.map((b) => b.value), options.target?.value ?? 0);
  const scale = (v: number) => ((width - labelWidth - 60) * v) / max;
  const round = (n: number) => Math.round(n * 10) / 10;
  return {
    width,
    height,
    labelWidth,
    rows: bars.map((b, i) => ({ label: b.label, value: b.value, y: i * row + 8, width: round(Math.max(b.value > 0 ? 2 : 0, scale(b.value))) })),
    target: options.target ? { x: round(labelWidth + scale(options.target.value)), label: options.target.label } : null,
    summary: `${options.title}. ${bars.map((b) => `${b.label}: ${b.value}`).join(', ')}`,
  };
}

/** Reach as a share with the target, e.g. "23% (target 40%)". */
export function percent(share: number | null): string {
  return share === null ? '–' : `${Math.round(share * 100)}%`;
}
