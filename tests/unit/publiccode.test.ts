// SPDX-License-Identifier: EUPL-1.2
// publiccode.yml follows the publiccode.yml standard 0.4 (schema written from its core spec) and agrees with package.json and the code.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { LANGUAGES } from '../../src/lib/languages.ts';

const root = new URL('../../', import.meta.url);
const pkg = JSON.parse(readFileSync(new URL('package.json', root), 'utf8')) as { version: string; license: string };
const spdxIds = createRequire(import.meta.url)('spdx-license-list/simple') as Set<string>;

// Controlled vocabularies of the standard (docs/standard/categories-list.rst, scope-list.rst).
// prettier-ignore
const CATEGORIES = [
  'accounting', 'agile-project-management', 'applicant-tracking', 'application-development', 'appointment-scheduling', 'backup',
  'billing-and-invoicing', 'blog', 'budgeting', 'business-intelligence', 'business-process-management', 'cad', 'call-center-management',
  'cloud-management', 'collaboration', 'communications', 'compliance-management', 'contact-management', 'content-management', 'crm',
  'customer-service-and-support', 'data-analytics', 'data-collection', 'data-visualization', 'design', 'design-system',
  'digital-asset-management', 'digital-citizenship', 'document-management', 'donor-management', 'e-commerce', 'e-signature',
  'educational-content', 'email-management', 'email-marketing', 'employee-management', 'enterprise-project-management',
  'enterprise-social-networking', 'erp', 'event-management', 'facility-management', 'feedback-and-reviews-management',
  'financial-reporting', 'fleet-management', 'fundraising', 'gamification', 'geographic-information-systems', 'grant-management',
  'graphic-design', 'help-desk', 'hr', 'ide', 'identity-management', 'instant-messaging', 'inventory-management', 'it-asset-management',
  'it-development', 'it-management', 'it-security', 'it-service-management', 'knowledge-management', 'learning-management-system',
  'marketing', 'mind-mapping', 'mobile-marketing', 'mobile-payment', 'network-management', 'office', 'online-booking',
  'online-community', 'payment-gateway', 'payroll', 'predictive-analysis', 'procurement', 'productivity-suite', 'project-collaboration',
  'project-management', 'property-management', 'real-estate-management', 'remote-support', 'resource-management', 'sales-management',
  'seo', 'service-desk', 'social-media-management', 'survey', 'talent-management', 'task-management', 'taxes-management',
  'test-management', 'time-management', 'time-tracking', 'translation', 'video-conferencing', 'video-editing', 'visitor-management',
  'voip', 'warehouse-management', 'web-collaboration', 'web-conferencing', 'website-builder', 'whistleblowing', 'workflow-management',
] as const;
// prettier-ignore
const SCOPES = [
  'agriculture', 'culture', 'defence', 'education', 'emergency-services', 'employment', 'energy', 'environment',
  'finance-and-economic-development', 'foreign-affairs', 'healthcare', 'infrastructures', 'justice', 'local-authorities',
  'manufacturing', 'research', 'science-and-technology', 'security', 'society', 'sport', 'tourism', 'transportation', 'welfare',
] as const;

/** "YYYY-MM-DD" and a real day: the only date format the standard allows. */
const date = z
  .string()
  .regex(/^\d{4}-\d\d-\d\d$/)
  .refine((d) => {
    const day = new Date(`${d}T00:00:00Z`);
    return !Number.isNaN(day.getTime()) && day.toISOString().startsWith(d);
  }, 'not a calendar date');
const bcp47 = z.string().refine((tag) => {
  try {
    return Intl.getCanonicalLocales(tag).length === 1;
  } catch {
    return false;
  }
}, 'not a BCP 47 language tag');
const httpUrl = z.url({ protocol: /^https?$/ });
const countryCode = z.string().regex(/^[a-z]{2}$/, 'ISO 3166-1 alpha-2, lowercase');

const description = z
  .object({
    localisedName: z.string().min(1).optional(),
    genericName: z.string().max(35).optional(), // deprecated in 0.4
    shortDescription: z
      .string()
      .min(1)
      .max(150)
      .regex(/^[^\n]+$/, 'one line'),
    longDescription: z.string().min(150).max(10_000).optional(),
    documentation: httpUrl.optional(),
    apiDocumentation: httpUrl.optional(),
    features: z.array(z.string().min(1)).min(1).optional(),
    screenshots: z.array(z.string()).optional(),
    videos: z.array(httpUrl).optional(),
    awards: z.array(z.string()).optional(),
  })
  .strict();

const contact = z
  .object({
    name: z.string().min(1),
    email: z.email().optional(),
    phone: z.string().optional(),
    affiliation: z.string().optional(),
  })
  .strict();
const contractor = z
  .object({ name: z.string().min(1), until: date, email: z.email().optional(), website: httpUrl.optional() })
  .strict();
const dependency = z
  .object({
    name: z.string().min(1),
    versionMin: z.string().optional(),
    versionMax: z.string().optional(),
    version: z.string().optional(),
    optional: z.boolean().optional(),
  })
  .strict();

/** The core schema of publiccode.yml 0.4 (https://yml.publiccode.tools/schema.core.html); country sections left out. */
const publiccodeSchema = z
  .object({
    publiccodeYmlVersion: z.string().regex(/^0\.4(\.\d+)?$/, 'this file follows version 0.4 of the standard'),
    name: z.string().min(1),
    applicationSuite: z.string().optional(),
    url: z.url({ protocol: /^https$/ }),
    landingURL: httpUrl.optional(),
    isBasedOn: z.union([z.string(), z.array(z.string())]).optional(),
    softwareVersion: z.string().optional(),
    releaseDate: date.optional(),
    logo: z.string().optional(),
    platforms: z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]),
    categories: z.array(z.enum(CATEGORIES)).min(1),
    usedBy: z.array(z.string()).optional(),
    roadmap: httpUrl.optional(),
    developmentStatus: z.enum(['concept', 'development', 'beta', 'stable', 'obsolete']),
    softwareType: z.enum([
      'standalone/mobile',
      'standalone/iot',
      'standalone/desktop',
      'standalone/web',
      'standalone/backend',
      'standalone/other',
      'addon',
      'library',
      'configurationFiles',
    ]),
    intendedAudience: z
      .object({
        countries: z.array(countryCode).optional(),
        unsupportedCountries: z.array(countryCode).optional(),
        scope: z.array(z.enum(SCOPES)).optional(),
      })
      .strict()
      .optional(),
    description: z.record(bcp47, description).refine((d) => Object.keys(d).length > 0, 'at least one language'),
    legal: z
      .object({
        license: z.string().min(1),
        mainCopyrightOwner: z.string().optional(),
        repoOwner: z.string().optional(),
      })
      .strict(),
    maintenance: z
      .object({
        type: z.enum(['internal', 'contract', 'community', 'none']),
        contractors: z.array(contractor).min(1).optional(),
        contacts: z.array(contact).min(1).optional(),
      })
      .strict()
      .superRefine((m, ctx) => {
        if ((m.type === 'internal' || m.type === 'community') && !m.contacts)
          ctx.addIssue({ code: 'custom', path: ['contacts'], message: `contacts are required when type is ${m.type}` });
        if (m.type === 'contract' && !m.contractors)
          ctx.addIssue({
            code: 'custom',
            path: ['contractors'],
            message: 'contractors are required when type is contract',
          });
        if (m.type !== 'contract' && m.contractors)
          ctx.addIssue({ code: 'custom', path: ['contractors'], message: 'contractors only go with type contract' });
      }),
    localisation: z.object({ localisationReady: z.boolean(), availableLanguages: z.array(bcp47).min(1) }).strict(),
    dependsOn: z
      .object({
        open: z.array(dependency).optional(),
        proprietary: z.array(dependency).optional(),
        hardware: z.array(dependency).optional(),
      })
      .strict()
      .optional(),
  })
  .strict()
  .superRefine((p, ctx) => {
    // longDescription and features are mandatory "for at least one language"
    const languages = Object.values(p.description);
    if (!languages.some((d) => d.longDescription))
      ctx.addIssue({
        code: 'custom',
        path: ['description'],
        message: 'longDescription is required in at least one language',
      });
    if (!languages.some((d) => d.features))
      ctx.addIssue({
        code: 'custom',
        path: ['description'],
        message: 'features are required in at least one language',
      });
  });

type Publiccode = z.infer<typeof publiccodeSchema>;

function problems(raw: unknown): string[] {
  const result = publiccodeSchema.safeParse(raw);
  return result.success ? [] : result.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
}

const text = readFileSync(new URL('publiccode.yml', root), 'utf8');
const raw = parse(text) as Record<string, unknown>;

describe('publiccode.yml', () => {
  it('is valid against the standard (0.4 core schema)', () => {
    expect(problems(raw)).toEqual([]);
  });

  it('agrees with package.json: licence and version', () => {
    const p = raw as Publiccode;
    expect(p.legal.license).toBe(pkg.license);
    expect(p.legal.license).toBe('EUPL-1.2');
    expect(spdxIds.has(p.legal.license)).toBe(true);
    expect(p.softwareVersion).toBe(pkg.version);
  });

  it('describes the product in Dutch and English in full, and lists the languages the portal speaks', () => {
    const p = raw as Publiccode;
    for (const lang of ['nl', 'en']) {
      expect(p.description[lang]?.longDescription?.length, lang).toBeGreaterThanOrEqual(150);
      expect(p.description[lang]?.features?.length, lang).toBeGreaterThanOrEqual(5);
    }
    expect([...p.localisation.availableLanguages].sort()).toEqual(Object.keys(LANGUAGES).sort());
  });

  it('the schema catches what the standard forbids', () => {
    const valid = raw as Publiccode;
    const broken = (change: (p: Record<string, unknown>) => void): string[] => {
      const copy = structuredClone(valid) as unknown as Record<string, unknown>;
      change(copy);
      return problems(copy);
    };
    expect(broken((p) => delete p.name)).not.toEqual([]);
    expect(broken((p) => (p.developmentStatus = 'alpha'))).not.toEqual([]);
    expect(broken((p) => (p.softwareType = 'standalone'))).not.toEqual([]);
    expect(broken((p) => (p.maintenance = { type: 'internal' }))).not.toEqual([]);
    expect(broken((p) => (p.maintenance = { type: 'contract', contacts: [{ name: 'A' }] }))).not.toEqual([]);
    expect(broken((p) => (p.categories = ['vroegsignalering']))).not.toEqual([]);
    expect(broken((p) => (p.releaseDate = '26-11-2026'))).not.toEqual([]);
    expect(broken((p) => (p.indendedAudience = {}))).not.toEqual([]);
    expect(
      broken((p) => ((p.description as Record<string, { longDescription: string }>).nl!.longDescription = 'Te kort.')),
    ).not.toEqual([]);
    expect(
      broken(
        (p) => ((p.description as Record<string, { shortDescription: string }>).en!.shortDescription = 'x'.repeat(151)),
      ),
    ).not.toEqual([]);
    expect(broken((p) => (p.description = {}))).not.toEqual([]);
    expect(broken((p) => (p.localisation = { localisationReady: 'yes', availableLanguages: ['nl'] }))).not.toEqual([]);
  });
});
