// SPDX-License-Identifier: EUPL-1.2
/**
 * A municipality as data: contact details, promise, help catalogue, languages, house style.
 * Validated with zod wherever it enters (seed files, the database), so a typo fails at start.
 */
import { z } from 'zod';
import { contactPlanSchema } from './contact-plan.ts';
import { HELP } from '../../flows/resident.ts';
import { LANGUAGES, type LanguageCode } from './languages.ts';

const languageCodes = Object.keys(LANGUAGES) as [LanguageCode, ...LanguageCode[]];
const time = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'time must look like 09:00');
/** Text per language; nl is required because it is the source language. */
const localized = z.object({ nl: z.string().min(1) }).catchall(z.string().min(1));

export const offerSchema = z.object({
  id: z.string().regex(/^[a-z0-9-]+$/),
  /** which answer of the "what would help" step this offer fulfils */
  help: z.enum(HELP),
  name: localized,
  description: localized.optional(),
  phone: z.string().optional(),
  address: z.string().optional(),
  walkIn: localized.optional(),
  url: z.url().optional(),
});

/** Loopback addresses may use http (a receiver on the same machine, the tests); all else https. */
const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

export const connectorSchema = z.strictObject({
  /** a signed JSON POST per event (HMAC-SHA256, see src/server/connector/signature.ts) */
  type: z.literal('webhook'),
  url: z.url().refine((u) => {
    const url = new URL(u);
    return url.protocol === 'https:' || (url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname));
  }, 'url must be https:// (http:// only for localhost): the body carries a phone number'),
  /** the NAME of the environment variable that holds the signing secret; the secret is never in this file */
  secretEnv: z.string().regex(/^[A-Z][A-Z0-9_]{2,63}$/, 'secretEnv: the name of an environment variable, e.g. HULPGESPREK_WEBHOOK_SECRET_VOORBEELD'),
});

export const ddasSchema = z.strictObject({
  /** CBS's four-digit municipality code (0518 is 's-Gravenhage); a delivery needs it */
  gemeentecode: z.string().regex(/^\d{4}$/, 'ddas.gemeentecode: the four digits of the CBS municipality code, e.g. 0518').optional(),
  /** the organisation that delivers to CBS: the municipality, or who handles its signals */
  aanleverendeOrganisatie: z
    .strictObject({
      naam: z.string().min(2),
      kvkNummer: z.string().regex(/^\d{8}$/, 'ddas.aanleverendeOrganisatie.kvkNummer: eight digits').optional(),
      contactpersonen: z
        .array(z.strictObject({ naam: z.string().min(2), telefoonnummer: z.string().optional(), email: z.email().optional(), functietitel: z.string().optional() }))
        .min(1)
        .optional(),
    })
    .optional(),
  /**
   * A finished conversation with a call-back request, through a personal link, counts as a reached
   * contact attempt by that link's channel (SMS/Whatsapp or Brief). Off: only staff's attempts count.
   */
  portalCountsReached: z.boolean().default(true),
});

export const municipalityConfigSchema = z
  .object({
    slug: z.string().regex(/^[a-z0-9][a-z0-9-]{1,40}$/, 'slug: lowercase letters, digits and -'),
    name: z.string().min(2),
    /** the number residents call, as dialled in the Netherlands (E.164 form) */
    phone: z.string().regex(/^\+\d{8,15}$/, 'phone must be E.164, e.g. +31118123456'),
    phoneDisplay: z.string().min(6),
    website: z.url(),
    timezone: z.string().default('Europe/Amsterdam'),
    openingHours: z
      .array(
        z.object({
          days: z.array(z.number().int().min(1).max(7)).min(1),
          from: time,
          to: time,
        }),
      )
      .min(1),
    promise: z.object({
      workingDays: z.number().int().min(1).max(10),
      /** for an urgent request (bailiff, eviction, cut-off): a shorter promise, told first */
      urgentWorkingDays: z.number().int().min(1).max(10).default(1),
      /** the staff's calling window: the promise runs out at its end on the last working day */
      window: z.object({ from: time, to: time }).optional(),
    }),
    languages: z.array(z.enum(languageCodes)).min(1),
    address: z.enum(['je', 'u']).default('je'),
    retentionMonths: z.number().int().min(1).max(24),
    /** where residents write to: questions about their data, problems with the app (privacy and accessibility pages) */
    email: z.email().optional(),
    /** the data protection officer (functionaris gegevensbescherming), named on the privacy page */
    privacyOfficer: z.object({ email: z.email(), phone: z.string().min(6).optional() }).optional(),
    /**
     * The municipality's accessibility statement (the Dutch model of digitoegankelijk.nl): its
     * status A–D and date. A and B need an expert audit by WCAG-EM; C means one is planned.
     * Without it, the page says there is no statement yet (status E).
     */
    accessibility: z.object({ status: z.enum(['A', 'B', 'C', 'D']), date: z.iso.date() }).optional(),
    /** who takes a complaint the municipality could not settle; unset = the Nationale ombudsman */
    ombudsman: z.object({ name: z.string().min(2), website: z.url(), phone: z.string().min(6).optional() }).optional(),
    offers: z.array(offerSchema),
    /** NL Design System tokens as CSS custom properties, e.g. { "--hg-color-primary": "#00689e" } */
    theme: z.record(z.string().regex(/^--[a-z0-9-]+$/), z.string().regex(/^[^;{}<>]+$/)).default({}),
    /**
     * Hand-off to the municipality's case system (README "Hand-off to the case system"). Without
     * it, or while its secret is not in the environment, requests wait in the staff queue only.
     */
    connector: connectorSchema.optional(),
    /** The national model (DDAS): who delivers the municipality's early-signal work to CBS, and how the portal counts its own contact. */
    ddas: ddasSchema.default({ portalCountsReached: true }),
    /** The contact plan (src/lib/contact-plan.ts): the steps that go after a resident who does not come. Unset: no plan, staff work cases by hand. */
    contactPlan: contactPlanSchema.optional(),
  })
  .superRefine((m, ctx) => {
    if (!m.languages.includes('nl')) {
      ctx.addIssue({ code: 'custom', path: ['languages'], message: 'languages must include nl (the source)' });
    }
    if (m.promise.urgentWorkingDays > m.promise.workingDays) {
      ctx.addIssue({ code: 'custom', path: ['promise', 'urgentWorkingDays'], message: 'promise.urgentWorkingDays must not be longer than promise.workingDays' });
    }
    const ids = new Set<string>();
    for (const [i, offer] of m.offers.entries()) {
      if (ids.has(offer.id)) ctx.addIssue({ code: 'custom', path: ['offers', i, 'id'], message: `duplicate offer id ${offer.id}` });
      ids.add(offer.id);
    }
  });

export type Municipality = z.infer<typeof municipalityConfigSchema>;
export type Offer = z.infer<typeof offerSchema>;
export type ConnectorConfig = z.infer<typeof connectorSchema>;

/** Parses a municipality or throws one readable error listing every problem with its path. */
export function parseMunicipality(raw: unknown, source: string): Municipality {
  const result = municipalityConfigSchema.safeParse(raw);
  if (result.success) return result.data;
  const problems = result.error.issues.map((i) => `  - ${i.path.join('.') || '(root)'}: ${i.message}`);
  throw new Error(`Municipality settings in ${source} are not valid:\n${problems.join('\n')}`);
}

/** Picks a text in the given language, falling back to Dutch. */
export function pick(text: { nl: string; [lng: string]: string }, lng: string): string {
  return text[lng] ?? text.nl;
}
