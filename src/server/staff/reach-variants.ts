// SPDX-License-Identifier: EUPL-1.2
/**
 * The reach page's "which SMS wording works": per SMS step of the contact plan a table of its
 * wording variants (sent, and per measure the count, the share and its 95 % Wilson interval) and
 * one plain sentence from verdict() (src/lib/variant-results.ts). The counts come from
 * src/server/store/variant-results.ts; the steps and their variants, in the plan's order, from the
 * municipality's contact plan, so a variant nobody got yet shows as 0.
 */
import type { ContactPlan } from '../../lib/contact-plan.ts';
import type { Period } from '../../lib/period.ts';
import { VARIANT_MEASURES, verdict, wilson, type VariantCounts, type VariantMeasure } from '../../lib/variant-results.ts';
import { i18n } from '../locales.ts';
import type { StepVariantCounts } from '../store/variant-results.ts';
import { label, st } from './texts.ts';

export interface VariantRow {
  variant: string;
  /** the staff label of the wording (labels.smsVariant), else its key */
  label: string;
  sent: number;
  /** per measure: the count and share ("12 · 31%") and the 95 % interval ("(24–39%)"); null when nothing was sent */
  cells: Record<VariantMeasure, VariantCell | null>;
}

export interface VariantCell {
  share: string;
  interval: string;
}

export interface VariantTable {
  step: string;
  caption: string;
  rows: VariantRow[];
  /** what verdict() says, in plain Dutch */
  sentence: string;
  /** the Dutch wording of each variant, with the municipality's name filled in */
  wordings: { label: string; text: string }[];
}

/**
 * What the section shows: nothing (no SMS step with variants in the plan and none sent: the
 * municipality does not use them), one line (a plan with variants, nothing sent in the period), or
 * a table per step that had an SMS sent in the period.
 */
export type VariantSection = { kind: 'absent' } | { kind: 'noneSent' } | { kind: 'tables'; period: Period; tables: VariantTable[] };

/** 0.314 → "31" */
const pct = (share: number) => String(Math.round(share * 100));

/** "het openen van de link en het bereik": the measures as they read inside a sentence. */
function measureList(measures: readonly VariantMeasure[]): string {
  return new Intl.ListFormat('nl', { style: 'long', type: 'conjunction' }).format(measures.map((m) => st(`reach.variants.inSentence.${m}`)));
}

/** The plain sentence under a step's table: nothing to compare, not yet clear, or which wording is clearly better at what. */
export function verdictSentence(rows: readonly VariantCounts[]): string {
  const verdicts = VARIANT_MEASURES.map((measure) => ({ measure, verdict: verdict(rows, measure) }));
  if (verdicts.every((v) => v.verdict.kind === 'single')) return st('reach.variants.single');
  const better = new Map<string, VariantMeasure[]>();
  for (const { measure, verdict: v } of verdicts) if (v.kind === 'better') better.set(v.variant, [...(better.get(v.variant) ?? []), measure]);
  if (better.size === 0) return st('reach.variants.notYetClear');
  const sentences = [...better].map(([variant, measures]) => st('reach.variants.better', { variant: label('smsVariant', variant), measures: measureList(measures) }));
  const unclear = verdicts.filter((v) => v.verdict.kind !== 'better').map((v) => v.measure);
  if (unclear.length > 0) sentences.push(st('reach.variants.restNotYetClear', { measures: measureList(unclear) }));
  return sentences.join(' ');
}

/** One measure's cell: the count, the share of the SMS sent and its 95 % interval; null when nothing was sent. */
export function variantCell(count: number, sent: number): VariantCell | null {
  if (sent === 0) return null;
  const i = wilson(count, sent);
  return { share: st('reach.variants.cellShare', { count, percent: pct(i.share) }), interval: st('reach.variants.cellInterval', { low: pct(i.low), high: pct(i.high) }) };
}

/** The Dutch SMS wording (locales/nl/outreach.json → sms.plan) with the municipality's name, and the link and check word named. */
function wordingText(variant: string, municipalityName: string): string | null {
  const key = `sms.plan.${variant}`;
  const options = { lng: 'nl', ns: 'outreach', fallbackNS: false } as const;
  if (!i18n.exists(key, options)) return null;
  return i18n.t(key, { ...options, name: municipalityName, link: st('reach.variants.linkPlaceholder'), word: st('reach.variants.wordPlaceholder') });
}

export function variantSection(counts: readonly StepVariantCounts[], plan: ContactPlan | undefined, municipalityName: string, period: Period): VariantSection {
  const planned = (plan?.steps ?? []).filter((s) => s.action === 'sms' && (s.variants?.length ?? 0) > 0);
  const sent = counts.filter((c) => c.variants.some((v) => v.sent > 0));
  if (sent.length === 0) return planned.length === 0 ? { kind: 'absent' } : { kind: 'noneSent' };
  const byStep = new Map(sent.map((c) => [c.step, c.variants]));
  // the plan's steps in its order, then any step no longer in it (the plan changed within the period)
  const steps = [
    ...planned.filter((s) => byStep.has(s.id)).map((s) => ({ id: s.id, day: s.day as number | null, variants: s.variants ?? [] })),
    ...sent.filter((c) => !planned.some((s) => s.id === c.step)).map((c) => ({ id: c.step, day: null, variants: [] as string[] })),
  ];
  const tables = steps.map((step): VariantTable => {
    const found = byStep.get(step.id) ?? [];
    const variants = [...step.variants, ...found.map((v) => v.variant).filter((v) => !step.variants.includes(v as never))];
    const rows = variants.map((variant) => found.find((v) => v.variant === variant) ?? { variant, sent: 0, opened: 0, finished: 0, callback: 0, reached: 0 });
    return {
      step: step.id,
      caption: step.day === null ? st('reach.variants.captionGone', { step: step.id }) : st('reach.variants.caption', { step: step.id, day: step.day }),
      rows: rows.map((r) => ({
        variant: r.variant,
        label: label('smsVariant', r.variant),
        sent: r.sent,
        cells: Object.fromEntries(VARIANT_MEASURES.map((m) => [m, variantCell(r[m], r.sent)])) as Record<VariantMeasure, VariantCell | null>,
      })),
      sentence: verdictSentence(rows),
      wordings: variants.flatMap((variant) => {
        const text = wordingText(variant, municipalityName);
        return text === null ? [] : [{ label: label('smsVariant', variant), text }];
      }),
    };
  });
  return { kind: 'tables', period, tables };
}

/** The section's counts as CSV rows (`variants.<step>`, the variant, the measure, the count): counts only. */
export function variantCsvRows(counts: readonly StepVariantCounts[]): [string, string, string, number][] {
  return counts.flatMap((c) => c.variants.flatMap((v) => (['sent', ...VARIANT_MEASURES] as const).map((m): [string, string, string, number] => [`variants.${c.step}`, v.variant, m, v[m]])));
}
