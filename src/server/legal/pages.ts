// SPDX-License-Identifier: EUPL-1.2
/**
 * The privacy page and the accessibility statement of one municipality in one language: plain
 * sections from the `legal` texts, filled with the municipality's contact, retention period and status.
 */
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { legalPath, type LegalPageKind } from '../../lib/legal-paths.ts';
import { directionOf, isLanguage, LANGUAGES, type LanguageCode } from '../../lib/languages.ts';
import type { Municipality } from '../../lib/municipality.ts';
import { addressContext, ltr, textVars } from '../../lib/text-vars.ts';
import { i18n } from '../locales.ts';
import { findMunicipality } from '../municipalities.ts';
import { availableLanguages, themeCss } from '../resident/page.ts';
import { getStore } from '../runtime.ts';

/** Where a complaint goes when the municipality could not settle it, unless it names its own ombudsman. */
export const NATIONAL_OMBUDSMAN = {
  name: 'Nationale ombudsman',
  website: 'https://www.nationaleombudsman.nl',
  /** free of charge, which matters to a resident on prepaid credit */
  phone: '0800 33 55 555',
} as const;
/** The Dutch data protection authority, where anyone may complain about the use of their data. */
export const DATA_PROTECTION_AUTHORITY = { website: 'https://www.autoriteitpersoonsgegevens.nl' } as const;

export interface LegalLink {
  href: string;
  text: string;
}
export type Block =
  | { kind: 'text'; text: string }
  | { kind: 'list'; items: string[] }
  | { kind: 'links'; links: LegalLink[]; note?: string };
export interface Section {
  id: string;
  title: string;
  blocks: Block[];
}

export type LegalPage =
  | { kind: 'notFound' }
  | {
      kind: 'page';
      page: LegalPageKind;
      lang: LanguageCode;
      dir: 'ltr' | 'rtl';
      title: string;
      municipality: Municipality;
      hours: string;
      themeCss: string;
      /** texts of the `legal` namespace first, then `common` (the layout's skip link and footer) */
      t: (key: string) => string;
      heading: string;
      intro: Block[];
      sections: Section[];
      back: LegalLink;
      /** the same page in the municipality's other languages, each named in its own script */
      languages: { code: LanguageCode; name: string; dir: 'ltr' | 'rtl'; href: string; current: boolean }[];
      languagesLabel: string;
    };

/** A number as written in the Netherlands ("0800 33 55 555"), dialled in E.164 so it also works from a foreign SIM. */
function telHref(display: string): string {
  return `tel:${parsePhoneNumberFromString(display, 'NL')?.number ?? display.replace(/[^\d+]/g, '')}`;
}

/** A date as the page's language writes it; Dutch month names where the runtime has none (Papiamento). */
export function formatDate(isoDate: string, lng: string): string {
  const locale = Intl.DateTimeFormat.supportedLocalesOf([lng]).length > 0 ? lng : 'nl';
  return new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeZone: 'UTC' }).format(
    new Date(`${isoDate}T00:00:00Z`),
  );
}

function texts(m: Municipality, lng: LanguageCode) {
  const vars = textVars(i18n, m, lng);
  const context = addressContext(m, lng);
  const t = (key: string, extra: Record<string, string | number> = {}): string =>
    i18n.t(key, { lng, ns: ['legal', 'common'], ...vars, ...extra, ...(context ? { context } : {}) });
  const p = (key: string, extra?: Record<string, string | number>): Block => ({ kind: 'text', text: t(key, extra) });
  const mail = (address: string): LegalLink => ({
    href: `mailto:${address}`,
    text: t('contact.mail', { email: ltr(address, lng) }),
  });
  /** the municipality's phone (with its hours) and e-mail address */
  const contact = (): Block => ({
    kind: 'links',
    links: [{ href: `tel:${m.phone}`, text: t('contact.call') }, ...(m.email ? [mail(m.email)] : [])],
    note: String(vars.hours),
  });
  const web = (url: string): LegalLink => ({
    href: url,
    text: t('contact.web', { website: ltr(new URL(url).host, lng) }),
  });
  const phone = (display: string): LegalLink => ({
    href: telHref(display),
    text: t('contact.call', { phone: ltr(display.replace(/ /g, '\u00a0'), lng) }),
  });
  return { t, p, contact, web, phone, mail };
}

function accessibilityPage(m: Municipality, lng: LanguageCode) {
  const { t, p, contact, web, phone } = texts(m, lng);
  const statement = m.accessibility;
  const ombudsman = m.ombudsman ?? NATIONAL_OMBUDSMAN;
  const sections: Section[] = [
    {
      id: 'status',
      title: t('accessibility.statusTitle'),
      blocks: [
        p(`accessibility.status.${statement?.status ?? 'E'}`),
        p('accessibility.rules'),
        ...(statement ? [p('accessibility.date', { date: formatDate(statement.date, lng) })] : []),
      ],
    },
    {
      id: 'tested',
      title: t('accessibility.testedTitle'),
      blocks: [
        p('accessibility.testedIntro'),
        {
          kind: 'list',
          items: ['axe', 'keyboard', 'narrow', 'zoom', 'rtl', 'noScript'].map((k) => t(`accessibility.tested.${k}`)),
        },
      ],
    },
    {
      id: 'issues',
      title: t('accessibility.issuesTitle'),
      blocks: [
        {
          kind: 'list',
          items: ['audit', 'translations', 'voice', 'listen'].map((k) => t(`accessibility.issues.${k}`)),
        },
      ],
    },
    { id: 'plan', title: t('accessibility.planTitle'), blocks: [p('accessibility.plan')] },
    { id: 'contact', title: t('accessibility.contactTitle'), blocks: [p('accessibility.contact'), contact()] },
    {
      id: 'complaint',
      title: t('accessibility.complaintTitle'),
      blocks: [
        p('accessibility.complaint'),
        { kind: 'links', links: [web(m.website)] },
        p('accessibility.ombudsman', { ombudsman: ombudsman.name }),
        {
          kind: 'links',
          links: [...(ombudsman.phone ? [phone(ombudsman.phone)] : []), web(ombudsman.website)],
          ...(ombudsman === NATIONAL_OMBUDSMAN ? { note: t('accessibility.ombudsmanFree') } : {}),
        },
      ],
    },
  ];
  return { heading: t('accessibility.title'), intro: [p('accessibility.intro'), p('accessibility.scope')], sections };
}

function privacyPage(m: Municipality, lng: LanguageCode) {
  const { t, p, contact, web, phone, mail } = texts(m, lng);
  const officer = m.privacyOfficer;
  const sections: Section[] = [
    {
      id: 'kept',
      title: t('privacy.keptTitle'),
      blocks: [
        p('privacy.keptIntro'),
        { kind: 'list', items: ['answers', 'phone', 'name', 'language', 'channel'].map((k) => t(`privacy.kept.${k}`)) },
        p('privacy.counting'),
      ],
    },
    { id: 'not-kept', title: t('privacy.notKeptTitle'), blocks: [p('privacy.notKept')] },
    {
      id: 'why',
      title: t('privacy.whyTitle'),
      blocks: [p('privacy.why'), p('privacy.law'), p('privacy.lawName'), p('privacy.consent')],
    },
    { id: 'who', title: t('privacy.whoTitle'), blocks: [p('privacy.who'), p('privacy.noSale')] },
    { id: 'how-long', title: t('privacy.howLongTitle'), blocks: [p('privacy.howLong'), p('privacy.afterwards')] },
    {
      id: 'device',
      title: t('privacy.deviceTitle'),
      blocks: [
        p('privacy.device'),
        p('privacy.deviceClear', { restart: i18n.t('nav.restart', { lng, ns: 'common' }) }),
        p('privacy.waiting'),
        p('privacy.waitingSent'),
        p('privacy.link'),
      ],
    },
    {
      id: 'rights',
      title: t('privacy.rightsTitle'),
      blocks: [
        p('privacy.rights'),
        contact(),
        ...(officer
          ? [
              p('privacy.officer'),
              {
                kind: 'links' as const,
                links: [mail(officer.email), ...(officer.phone ? [phone(officer.phone)] : [])],
              },
            ]
          : []),
      ],
    },
    {
      id: 'complaint',
      title: t('privacy.complaintTitle'),
      blocks: [
        p('privacy.complaint'),
        p('privacy.authority'),
        { kind: 'links', links: [web(DATA_PROTECTION_AUTHORITY.website)] },
      ],
    },
  ];
  return { heading: t('privacy.title'), intro: [p('privacy.intro')], sections };
}

export async function legalPage(slug: string, lang: string, kind: LegalPageKind): Promise<LegalPage> {
  const m = await findMunicipality(await getStore(), slug);
  if (!m) return { kind: 'notFound' };
  // Unlike the conversation, no redirect to another language: the address names the language the text is wanted in.
  if (!isLanguage(lang) || !availableLanguages(m).includes(lang)) return { kind: 'notFound' };
  return legalPageOf(m, lang, kind);
}

/** The page for a municipality that offers the language (no database: the unit tests build every variant). */
export function legalPageOf(
  m: Municipality,
  lang: LanguageCode,
  kind: LegalPageKind,
): Extract<LegalPage, { kind: 'page' }> {
  const languages = availableLanguages(m);
  const { t } = texts(m, lang);
  const content = kind === 'privacy' ? privacyPage(m, lang) : accessibilityPage(m, lang);
  return {
    kind: 'page',
    page: kind,
    lang,
    dir: directionOf(lang),
    title: `${content.heading} · ${m.name}`,
    municipality: m,
    hours: String(textVars(i18n, m, lang).hours),
    themeCss: themeCss(m),
    t: (key) => t(key),
    ...content,
    back: { href: `/${m.slug}/${lang}/`, text: t('back') },
    languages: languages.map((code) => ({
      code,
      name: LANGUAGES[code].name,
      dir: directionOf(code),
      href: legalPath(m.slug, code, kind),
      current: code === lang,
    })),
    languagesLabel: t('language.change'),
  };
}
