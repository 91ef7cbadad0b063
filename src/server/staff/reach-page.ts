// SPDX-License-Identifier: EUPL-1.2
/** What the reach dashboard and its CSV export need: the period, the municipality, the figures. */
import { realDay } from '../../lib/period.ts';
import { barChart, percent, type ChartLayout } from '../../lib/charts.ts';
import {
  DIMENSIONS,
  FUNNEL_FIELDS,
  REACH_TARGET,
  reachCsv,
  reachReport,
  type Dimension,
  type ReachReport,
} from './reach.ts';
import { findMunicipality } from '../municipalities.ts';
import { getStore } from '../runtime.ts';
import { can } from './nav.ts';
import { requireStaff } from './pages.ts';
import { variantSection, type VariantSection } from './reach-variants.ts';
import type { StaffContext } from './session.ts';
import { st } from './texts.ts';

export const FUNNEL_LABELS = Object.fromEntries(
  FUNNEL_FIELDS.map((f) => [f, st(`reach.funnel.${f}`)]),
) as Record<(typeof FUNNEL_FIELDS)[number], string>;
/** One heading per dimension: channel, the answers the table marks `reach`, language, week. */
export const DIMENSION_LABELS: Record<Dimension, string> = Object.fromEntries(
  DIMENSIONS.map((dim) => [dim, st(`reach.by.${dim}`)]),
);

/**
 * The period from the query (?van=&tot=), else the last 28 days; never longer than a year (an
 * earlier start is moved up, a start after the end becomes the end). A day that does not exist
 * (2026-02-31, 2026-13-01, "gisteren") is a mistake to say, not to guess: `bad` names the field.
 */
export function periodFrom(url: URL, now = new Date()): { from: string; to: string } | { bad: 'van' | 'tot'; value: string } {
  const given = (field: 'van' | 'tot') => url.searchParams.get(field)?.trim() ?? '';
  for (const field of ['van', 'tot'] as const) if (given(field) !== '' && realDay(given(field)) === null) return { bad: field, value: given(field).slice(0, 40) };
  const to = given('tot') || now.toISOString().slice(0, 10);
  const fallback = new Date(`${to}T00:00:00Z`);
  fallback.setUTCDate(fallback.getUTCDate() - 27);
  let from = given('van') || fallback.toISOString().slice(0, 10);
  if (from > to) from = to;
  const earliest = new Date(`${to}T00:00:00Z`);
  earliest.setUTCFullYear(earliest.getUTCFullYear() - 1);
  if (from < earliest.toISOString().slice(0, 10)) from = earliest.toISOString().slice(0, 10);
  return { from, to };
}

export type ReachPage =
  | { kind: 'forbidden'; staff: StaffContext }
  /** ?van= or ?tot= is not a day that exists: 400, saying which and how to write it */
  | { kind: 'badPeriod'; staff: StaffContext; message: string }
  | {
      kind: 'page';
      staff: StaffContext;
      municipality: string;
      report: ReachReport;
      funnelChart: ChartLayout;
      /** per channel, topic, language and week: requests and residents reached */
      dimensionCharts: Record<Dimension, ChartLayout>;
      /** DDAS: cases taken up against reached, with the 40 % target */
      casesChart: ChartLayout;
      /** DDAS: attempts and reached attempts per soort */
      kindChart: ChartLayout;
      reachText: string;
      attemptsText: string;
      /** which SMS wording works: a table per SMS step with variants, one line, or nothing */
      variants: VariantSection;
      csvHref: string;
      /** the DDAS delivery of the same period, for administrators */
      deliveryHref: string | null;
    };

export async function reachPage(locals: App.Locals, url: URL): Promise<ReachPage> {
  const staff = requireStaff(locals);
  if (!can(staff, 'reach')) return { kind: 'forbidden', staff };
  const asked = url.searchParams.get('gemeente') ?? '';
  // only the municipalities this person serves; anything else quietly shows their first one
  const municipality = staff.municipalities.includes(asked) ? asked : (staff.municipalities[0] ?? '');
  const period = periodFrom(url);
  if ('bad' in period) return { kind: 'badPeriod', staff, message: st('reach.badDay', { field: period.bad, value: period.value }) };
  const store = await getStore();
  const report = await reachReport(store, municipality, period);
  const config = await findMunicipality(store, municipality);
  const funnelChart = barChart(
    FUNNEL_FIELDS.map((f) => ({ label: FUNNEL_LABELS[f], value: report.total[f] })),
    { title: st('reach.funnelChart') },
  );
  const d = report.ddas;
  const casesChart = barChart(
    [
      { label: st('reach.ddas.takenUp'), value: d.takenUp },
      { label: st('reach.ddas.reachedCases'), value: d.reachedCases },
    ],
    { title: st('reach.ddas.casesChart'), ...(d.takenUp > 0 ? { target: { value: Math.round(d.takenUp * REACH_TARGET), label: st('reach.target') } } : {}) },
  );
  const kindChart = barChart(
    Object.entries(d.byKind).flatMap(([kind, c]) => [
      { label: st('reach.ddas.attemptsOf', { key: kind }), value: c.attempts },
      { label: st('reach.ddas.reachedOf', { key: kind }), value: c.reached },
    ]),
    { title: st('reach.ddas.bySoort') },
  );
  const dimensionCharts = Object.fromEntries(
    DIMENSIONS.map((dim) => [
      dim,
      barChart(
        (report.by[dim] ?? []).flatMap((b) => [
          { label: st('reach.finishedKey', { key: b.key }), value: b.funnel.conversationsFinished },
          { label: st('reach.requests', { key: b.key }), value: b.funnel.callbacksRequested },
        ]),
        { title: DIMENSION_LABELS[dim] ?? dim },
      ),
    ]),
  ) as Record<Dimension, ChartLayout>;
  const query = new URLSearchParams({ gemeente: municipality, van: period.from, tot: period.to });
  return {
    kind: 'page',
    staff,
    municipality,
    report,
    funnelChart,
    dimensionCharts,
    casesChart,
    kindChart,
    reachText: st('reach.reached', { percent: percent(d.reach), target: Math.round(REACH_TARGET * 100) }),
    attemptsText:
      d.attemptsPerCase === null
        ? st('reach.nobodyYet')
        : st('reach.attemptsPerCase', { number: d.attemptsPerCase.toFixed(1).replace('.', ',') }),
    variants: variantSection(report.variants, config?.contactPlan, config?.name ?? municipality, period),
    csvHref: `/staff/bereik.csv?${query}`,
    deliveryHref: staff.role === 'admin' ? `/api/v1/ddas/leveringen?${query}` : null,
  };
}

export async function reachCsvResponse(locals: App.Locals, url: URL): Promise<Response> {
  const page = await reachPage(locals, url);
  if (page.kind === 'forbidden')
    return new Response(st('reach.forbiddenCsv'), { status: 403, headers: { 'Cache-Control': 'no-store' } });
  if (page.kind === 'badPeriod') return new Response(page.message, { status: 400, headers: { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' } });
  const name = `bereik-${page.municipality}-${page.report.period.from}-${page.report.period.to}.csv`;
  return new Response(reachCsv(page.report), {
    headers: {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': `attachment; filename="${name}"`,
      'Cache-Control': 'no-store',
    },
  });
}
